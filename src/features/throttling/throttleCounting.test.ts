import crypto from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../platform/db/schema.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, Throttle, type BackOffPolicy } from './throttle.ts';

/**
 * The counting rules under every lock-out, on a migrated in-memory SQLite database (the shared
 * suites run the same statements on PostgreSQL through the real pages).
 */
const MINUTE = 60_000;
const CODE_LIKE: BackOffPolicy = {
  freeFailures: 5,
  windowMs: 24 * 60 * MINUTE,
  firstLockMs: MINUTE,
  maxLockMs: 24 * 60 * MINUTE,
};

class Clock {
  at = Date.parse('2026-07-01T12:00:00Z');
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

let db: Kysely<DB>;
const secret = crypto.randomBytes(32);
beforeAll(async () => {
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  await migrateToLatest(db);
});

/** A throttle with a clock of its own; keys are unique per test, so tests do not share counters. */
function fresh() {
  const clock = new Clock();
  return { clock, throttle: new Throttle(db, secret, clock.now) };
}
let keys = 0;
const newKey = (throttle: Throttle) => throttle.keyFor('address', `test-${(keys += 1)}`);

describe('the account and address policies', () => {
  it('lock an account after five failures and an address after twenty, each for 15 minutes within 15 minutes', () => {
    expect(ACCOUNT_POLICY).toEqual({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE });
    expect(ADDRESS_POLICY).toEqual({ maxFailures: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE });
  });
});

describe('keys', () => {
  it('are keyed hashes that differ by kind and value, and never contain the value', () => {
    const { throttle } = fresh();
    const address = throttle.keyFor('address', '198.51.100.7');
    expect(address).toBe(throttle.keyFor('address', '198.51.100.7'));
    expect(address).not.toContain('198.51.100.7');
    expect(address).not.toBe(throttle.keyFor('account', '198.51.100.7'));
    expect(address).not.toBe(throttle.keyFor('address', '198.51.100.8'));
    expect(address).not.toBe(
      new Throttle(db, crypto.randomBytes(32), () => new Date()).keyFor('address', '198.51.100.7'),
    );
  });
});

describe('a fixed-window lock (sign-in)', () => {
  it('locks on the fifth failure within the window, says so once, and unlocks when the lock ends', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    expect(await throttle.isLocked(key)).toBe(false);
    expect(await throttle.lockedUntil(key)).toBeUndefined();
    expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(true);
    expect(await throttle.isLocked(key)).toBe(true);
    expect(await throttle.lockedUntil(key)).toBe(clock.at + 15 * MINUTE);
    expect(await throttle.lockStartedAt(key)).toBe(new Date(clock.at).toISOString());
    // The failure that locked starts a new count: the next one does not lock again.
    expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    clock.advance(15 * MINUTE - 1);
    expect(await throttle.isLocked(key)).toBe(true);
    clock.advance(1);
    // A lock that ends now has ended.
    expect(await throttle.isLocked(key)).toBe(false);
    expect(await throttle.lockedUntil(key)).toBeUndefined();
    expect(await throttle.lockStartedAt(key)).toBeUndefined();
  });

  it('forgets failures older than the window', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    clock.advance(15 * MINUTE + 1);
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(true);
  });

  it('counts failures still inside the window, however late in it', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    clock.advance(15 * MINUTE - 1000);
    expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(true);
  });

  it('a key that was never counted is not locked', async () => {
    const { throttle } = fresh();
    const key = newKey(throttle);
    expect(await throttle.isLocked(key)).toBe(false);
    expect(await throttle.lockStartedAt(key)).toBeUndefined();
  });
});

describe('a growing back-off (codes)', () => {
  it('costs nothing for the first four failures, then 1, 2, 4, 8 … minutes, never more than the cap', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    const locks: number[] = [];
    for (let i = 0; i < 20; i += 1) locks.push(await throttle.backOff(key, CODE_LIKE));
    expect(locks.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(locks.slice(4, 9)).toEqual([1, 2, 4, 8, 16].map((m) => m * MINUTE));
    expect(locks.slice(-3)).toEqual([24 * 60 * MINUTE, 24 * 60 * MINUTE, 24 * 60 * MINUTE]);
    expect(await throttle.lockedUntil(key)).toBe(clock.at + 24 * 60 * MINUTE);
  });

  it('holds the key for the lock it answers, and a failure within the free ones leaves it unlocked', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    expect(await throttle.backOff(key, CODE_LIKE)).toBe(0);
    expect(await throttle.isLocked(key)).toBe(false);
    for (let i = 0; i < 3; i += 1) await throttle.backOff(key, CODE_LIKE);
    expect(await throttle.backOff(key, CODE_LIKE)).toBe(MINUTE);
    expect(await throttle.lockedUntil(key)).toBe(clock.at + MINUTE);
  });

  it('a free failure lifts a claim on the key', async () => {
    const { throttle } = fresh();
    const key = newKey(throttle);
    expect(await throttle.claim(key, 5_000)).toBeDefined();
    expect(await throttle.isLocked(key)).toBe(true);
    expect(await throttle.backOff(key, CODE_LIKE)).toBe(0);
    expect(await throttle.isLocked(key)).toBe(false);
  });

  it('starts again after a quiet window, and never overflows however many failures there were', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    for (let i = 0; i < 6; i += 1) await throttle.backOff(key, CODE_LIKE);
    clock.advance(CODE_LIKE.windowMs + 1);
    expect(await throttle.backOff(key, CODE_LIKE)).toBe(0);
    const many: BackOffPolicy = {
      freeFailures: 0,
      windowMs: MINUTE,
      firstLockMs: 1,
      maxLockMs: Number.MAX_SAFE_INTEGER,
    };
    const other = newKey(throttle);
    let last = 0;
    for (let i = 0; i < 40; i += 1) last = await throttle.backOff(other, many);
    // 2^30 ms at most: the exponent is capped, so the lock stays a real date.
    expect(last).toBe(2 ** 30);
    expect(await throttle.lockedUntil(other)).toBe(clock.at + 2 ** 30);
  });
});

describe('one attempt at a time', () => {
  it('gives the key to one claim until it is released or its hold ends', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    const claim = await throttle.claim(key, 5_000);
    expect(claim).toBe(new Date(clock.at + 5_000).toISOString());
    expect(await throttle.claim(key, 5_000)).toBeUndefined();
    expect(await throttle.lockedUntil(key)).toBe(clock.at + 5_000);
    await throttle.release(key, claim!);
    expect(await throttle.isLocked(key)).toBe(false);
    const again = await throttle.claim(key, 5_000);
    expect(again).toBeDefined();
    clock.advance(5_000);
    expect(await throttle.claim(key, 5_000)).toBeDefined();
  });

  it('a stale claim released late does not lift a newer lock', async () => {
    const { clock, throttle } = fresh();
    const key = newKey(throttle);
    const old = await throttle.claim(key, 5_000);
    clock.advance(5_000);
    const current = await throttle.claim(key, 5_000);
    await throttle.release(key, old!);
    expect(await throttle.lockedUntil(key)).toBe(Date.parse(current!));
  });
});

describe('shared rate limits', () => {
  it('counts hits in a window and says when it resets', async () => {
    const { clock, throttle } = fresh();
    const key = `hits-${(keys += 1)}`;
    expect(await throttle.hit('check', key, MINUTE)).toEqual({ hits: 1, resetInMs: MINUTE });
    clock.advance(20_000);
    expect(await throttle.hit('check', key, MINUTE)).toEqual({ hits: 2, resetInMs: 40_000 });
    // Another limit's count for the same caller is its own.
    expect(await throttle.hit('sign-in', key, MINUTE)).toEqual({ hits: 1, resetInMs: MINUTE });
    clock.advance(40_001);
    expect(await throttle.hit('check', key, MINUTE)).toEqual({ hits: 1, resetInMs: MINUTE });
  });

  it('never stores the caller key or the limit name as given', async () => {
    const { throttle } = fresh();
    const key = `plain-caller-${(keys += 1)}`;
    await throttle.hit('named-limit', key, MINUTE);
    const dump = JSON.stringify(await db.selectFrom('throttles').selectAll().execute());
    expect(dump).not.toContain(key);
    expect(dump).not.toContain('named-limit');
  });
});

describe('administering locks', () => {
  it('counts the keys locked now, lists and clears an account’s locked counters, and purges stale ones', async () => {
    const { clock, throttle } = fresh();
    const base = await throttle.lockedCount();
    const accountKey = throttle.keyFor('account', `person-${(keys += 1)}`);
    const own = newKey(throttle);
    const perAddress = newKey(throttle);
    for (let i = 0; i < 5; i += 1) await throttle.fail(own, ACCOUNT_POLICY, accountKey);
    for (let i = 0; i < 4; i += 1) await throttle.fail(perAddress, ACCOUNT_POLICY, accountKey);
    expect(await throttle.lockedCount()).toBe(base + 1);
    expect((await throttle.lockedForAccounts([accountKey])).map((r) => r.key_hash)).toEqual([own]);
    expect(await throttle.lockedForAccounts([])).toEqual([]);
    expect(await throttle.clearAccount(accountKey)).toBe(2);
    expect(await throttle.isLocked(own)).toBe(false);
    expect(await throttle.lockedCount()).toBe(base);

    const stale = newKey(throttle);
    const locked = newKey(throttle);
    await throttle.fail(stale, ACCOUNT_POLICY);
    await throttle.backOff(locked, {
      ...CODE_LIKE,
      freeFailures: 0,
      maxLockMs: 48 * 60 * MINUTE,
      firstLockMs: 48 * 60 * MINUTE,
    });
    clock.advance(24 * 60 * MINUTE + 1);
    await throttle.purgeStale();
    const left = (await db.selectFrom('throttles').select('key_hash').execute()).map((r) => r.key_hash);
    expect(left).not.toContain(stale);
    expect(left).toContain(locked);
    await throttle.clear(locked);
    expect(await throttle.isLocked(locked)).toBe(false);
  });

  it('keeps counters younger than a day', async () => {
    const { clock, throttle } = fresh();
    const recent = newKey(throttle);
    await throttle.fail(recent, ACCOUNT_POLICY);
    clock.advance(24 * 60 * MINUTE - 1000);
    await throttle.purgeStale();
    expect((await db.selectFrom('throttles').select('key_hash').execute()).map((r) => r.key_hash)).toContain(recent);
  });
});
