import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { hmac } from '../../platform/crypto/index.ts';
import { throttleRepository } from './throttleRepository.ts';

export interface ThrottlePolicy {
  /** Failures allowed within the window before the key is locked. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Five wrong attempts on one account lock it for 15 minutes: slows password guessing to a crawl. */
export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Twenty failures from one network address in 15 minutes stop it spraying many accounts. */
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/**
 * Growing back-off: the first `freeFailures` wrong attempts in the window cost nothing; each one
 * after that locks the key for `firstLockMs`, doubling with every further failure up to `maxLockMs`.
 * A person who mistypes a few times barely notices; a guesser gets a handful of tries a day.
 */
export interface BackOffPolicy {
  freeFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

/**
 * Failure counters kept in the database so every instance sees them. Keys
 * are keyed hashes ("account:<id>", "address:<ip>"), so no address is stored.
 */
export class Throttle {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly key: Buffer,
    private readonly now: () => Date,
  ) {}

  keyFor(kind: 'account' | 'address' | 'account-address' | 'device', value: string): string {
    return hmac(this.key, `${kind}:${value}`);
  }

  async isLocked(keyHash: string): Promise<boolean> {
    return (await this.lockedUntil(keyHash)) !== undefined;
  }

  /** When the key's lock ends (ms since the epoch), or undefined when it is not locked. */
  async lockedUntil(keyHash: string): Promise<number | undefined> {
    const row = await throttleRepository.find(this.db, keyHash);
    const until = row?.locked_until ? Date.parse(row.locked_until) : undefined;
    return until !== undefined && until > this.now().getTime() ? until : undefined;
  }

  /** When the key's current lock began (locking restarts its window), or undefined when not locked. */
  async lockStartedAt(keyHash: string): Promise<string | undefined> {
    const row = await throttleRepository.find(this.db, keyHash);
    return row?.locked_until && Date.parse(row.locked_until) > this.now().getTime() ? row.window_started_at : undefined;
  }

  /**
   * Takes the key for one attempt (see the repository's `claim`); the answer is the claim to pass
   * back to `release` or `backOff`, or undefined when the key is locked or another attempt holds it.
   */
  async claim(keyHash: string, holdMs: number): Promise<string | undefined> {
    const now = this.now();
    const busyUntil = new Date(now.getTime() + holdMs).toISOString();
    return (await throttleRepository.claim(this.db, keyHash, now.toISOString(), busyUntil)) ? busyUntil : undefined;
  }

  async release(keyHash: string, claim: string): Promise<void> {
    await throttleRepository.release(this.db, keyHash, claim);
  }

  /**
   * Counts a failure under a growing back-off and sets (or, within the free failures, lifts) the
   * key's lock; returns how long the key is now locked for (0: not locked).
   */
  async backOff(keyHash: string, policy: BackOffPolicy): Promise<number> {
    const now = this.now();
    const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
    const failures = await throttleRepository.countFailure(this.db, keyHash, now.toISOString(), windowStart);
    const lockMs =
      failures < policy.freeFailures
        ? 0
        : Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** Math.min(30, failures - policy.freeFailures));
    await throttleRepository.lockUntil(
      this.db,
      keyHash,
      lockMs ? new Date(now.getTime() + lockMs).toISOString() : null,
    );
    return lockMs;
  }

  /** Counts a failure; returns true when this failure has just locked the key. */
  async fail(keyHash: string, policy: ThrottlePolicy, accountKey: string | null = null): Promise<boolean> {
    const now = this.now();
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
    const failures = await throttleRepository.countFailure(this.db, keyHash, at, windowStart, accountKey);
    if (failures < policy.maxFailures) return false;
    return throttleRepository.lockIfReached(
      this.db,
      keyHash,
      policy.maxFailures,
      at,
      new Date(now.getTime() + policy.lockMs).toISOString(),
    );
  }

  /**
   * Counts one request against a rate limit shared by every instance (see
   * platform/http/rateLimitStore.ts). `key` is already a keyed hash of the
   * address; it is hashed again with the limit's name, so nothing stored
   * says which address or which page.
   */
  async hit(limitName: string, key: string, windowMs: number): Promise<{ hits: number; resetInMs: number }> {
    const now = this.now();
    const windowStart = new Date(now.getTime() - windowMs).toISOString();
    const result = await throttleRepository.countHit(
      this.db,
      hmac(this.key, `limit:${limitName}:${key}`),
      now.toISOString(),
      windowStart,
    );
    const resetInMs = Math.max(0, Date.parse(result.windowStartedAt) + windowMs - now.getTime());
    return { hits: result.hits, resetInMs };
  }

  /** Keys locked out now (sign-in, codes, limits): a number for monitoring. */
  lockedCount(): Promise<number> {
    return throttleRepository.countLocked(this.db, this.now().toISOString());
  }

  /** Forgets counters older than a day that hold no lock, so the table stays small. */
  async purgeStale(): Promise<void> {
    const now = this.now();
    await throttleRepository.removeStale(
      this.db,
      new Date(now.getTime() - 24 * 60 * 60_000).toISOString(),
      now.toISOString(),
    );
  }

  /** Locked counters of these accounts (keyed hashes), for administrators. */
  lockedForAccounts(accountKeys: string[]) {
    return throttleRepository.lockedForAccounts(this.db, accountKeys, this.now().toISOString());
  }

  /** Removes every counter of one account: its own, per address and per device. */
  clearAccount(accountKey: string): Promise<number> {
    return throttleRepository.removeForAccount(this.db, accountKey);
  }

  async clear(keyHash: string): Promise<void> {
    await throttleRepository.remove(this.db, keyHash);
  }
}
