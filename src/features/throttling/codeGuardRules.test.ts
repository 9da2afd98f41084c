import crypto from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../platform/db/schema.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import type { AuditTrail } from '../audit/index.ts';
import { CodeGuard, type CodeAttempt, type Ticket } from './codeGuard.ts';
import { Throttle } from './throttle.ts';

/**
 * The receipt- and member-code guard with its real throttle, on a migrated in-memory SQLite
 * database: the numbers that keep a code's owner in and a guesser out.
 */
const MINUTE = 60_000;

class Clock {
  at = Date.parse('2026-07-01T12:00:00Z');
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

async function memoryDatabase(): Promise<Kysely<DB>> {
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
  await migrateToLatest(db);
  return db;
}

/** A guard over its own database and clock, and the audit entries it wrote. */
async function guardSetup() {
  const db = await memoryDatabase();
  const clock = new Clock();
  const audited: Parameters<AuditTrail['record']>[0][] = [];
  const audit = {
    record: async (event: (typeof audited)[number]) => void audited.push(event),
  } as unknown as AuditTrail;
  const key = crypto.randomBytes(32);
  const guard = new CodeGuard(db, new Throttle(db, key, clock.now), audit, key, clock.now);
  return { db, clock, audited, guard };
}

let addresses = 0;
/** An IPv4 address nobody has used in this file. */
const freshAddress = () => {
  addresses += 1;
  return `198.18.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

const RIGHT = 'the person';
/** The code check: answers a value for the right code, undefined for a wrong one, and counts its calls. */
function checker(right: boolean) {
  const calls = { n: 0 };
  const verify = async () => {
    calls.n += 1;
    return right ? RIGHT : undefined;
  };
  return { calls, verify };
}

type Guard = Awaited<ReturnType<typeof guardSetup>>['guard'];
const web = { offerTickets: true };
const api = { offerTickets: false };
const wrong = (guard: Guard, address: string, kind: 'receipt' | 'member' = 'receipt') =>
  guard.attempt(kind, address, {}, web, checker(false).verify);

/** What the browser's solver does: the n with SHA-256(salt + n) = challenge. */
function solve(ticket: Ticket): string {
  for (let n = 0; n <= ticket.maxnumber; n += 1)
    if (crypto.createHash('sha256').update(`${ticket.salt}${n}`).digest('hex') === ticket.challenge) return String(n);
  throw new Error('unsolvable puzzle');
}

function refusal<T>(result: CodeAttempt<T>) {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('one address guessing', () => {
  let setup: Awaited<ReturnType<typeof guardSetup>>;
  beforeAll(async () => {
    setup = await guardSetup();
  });

  it('opens for the right code and checks it once', async () => {
    const { calls, verify } = checker(true);
    expect(await setup.guard.attempt('receipt', freshAddress(), {}, web, verify)).toEqual({ ok: true, value: RIGHT });
    expect(calls.n).toBe(1);
  });

  it('checks four wrong codes freely, then each wrong code holds the address back longer: 1, 2, 4 minutes', async () => {
    const { clock, guard } = setup;
    const address = freshAddress();
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = refusal(await wrong(guard, address));
      expect(r.reason).toBe('wrong-code');
      waits.push(r.retryAfterSeconds);
    }
    expect(waits).toEqual([0, 0, 0, 0, 60]);
    // Held back: the right code is not even checked from there, and the wait is what is left.
    const right = checker(true);
    clock.advance(20_000);
    expect(await guard.attempt('receipt', address, {}, web, right.verify)).toEqual({
      ok: false,
      reason: 'address-back-off',
      retryAfterSeconds: 40,
    });
    expect(right.calls.n).toBe(0);
    clock.advance(40_000);
    expect(refusal(await wrong(guard, address)).retryAfterSeconds).toBe(120);
    clock.advance(120_000);
    expect(refusal(await wrong(guard, address)).retryAfterSeconds).toBe(240);
    // Another address is not held back by this one's guessing, and the right code opens from it.
    expect((await guard.attempt('receipt', freshAddress(), {}, web, checker(true).verify)).ok).toBe(true);
    clock.advance(240_000);
    expect((await guard.attempt('receipt', address, {}, web, checker(true).verify)).ok).toBe(true);
  });

  it('counts an IPv6 /64 as one address', async () => {
    const { guard } = setup;
    for (let i = 1; i <= 5; i += 1) await wrong(guard, `2001:db8:1:2::${i}`);
    expect(refusal(await wrong(guard, '2001:db8:1:2:ffff::9')).reason).toBe('address-back-off');
    expect(refusal(await wrong(guard, '2001:db8:1:3::1')).reason).toBe('wrong-code');
  });

  it('keeps receipt and member codes apart: guessing one kind does not hold back the other', async () => {
    const { guard } = setup;
    const address = freshAddress();
    for (let i = 0; i < 5; i += 1) await wrong(guard, address, 'member');
    expect(refusal(await wrong(guard, address, 'member')).reason).toBe('address-back-off');
    expect((await guard.attempt('receipt', address, {}, web, checker(true).verify)).ok).toBe(true);
  });

  it('checks one attempt at a time per address: a parallel one waits for the hold', async () => {
    const { guard } = setup;
    const address = freshAddress();
    let finish: () => void = () => {};
    const slow = guard.attempt(
      'receipt',
      address,
      {},
      web,
      () => new Promise<string>((r) => (finish = () => r(RIGHT))),
    );
    await new Promise((r) => setTimeout(r, 20));
    const parallel = checker(true);
    expect(await guard.attempt('receipt', address, {}, web, parallel.verify)).toEqual({
      ok: false,
      reason: 'address-back-off',
      retryAfterSeconds: 5,
    });
    expect(parallel.calls.n).toBe(0);
    finish();
    expect((await slow).ok).toBe(true);
    // The hold ends with the answer: the next attempt goes ahead at once.
    expect((await guard.attempt('receipt', address, {}, web, checker(true).verify)).ok).toBe(true);
  });

  it('lets the address go when the check itself fails', async () => {
    const { guard } = setup;
    const address = freshAddress();
    await expect(
      guard.attempt('receipt', address, {}, web, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect((await guard.attempt('receipt', address, {}, web, checker(true).verify)).ok).toBe(true);
  });

  it('asks for no ticket and reports no spike while there is none', async () => {
    expect(await setup.guard.ticketIfNeeded('receipt', freshAddress())).toBeUndefined();
    expect(await setup.guard.activeSpikes()).toEqual([]);
    expect(setup.audited).toEqual([]);
  });
});

describe('a guessing spike: 500 wrong codes from everywhere within 15 minutes', () => {
  let setup: Awaited<ReturnType<typeof guardSetup>>;
  let since: number;
  beforeAll(async () => {
    setup = await guardSetup();
    const { clock, guard, audited } = setup;
    // A wrong code more than 15 minutes earlier is forgotten: it does not count towards this spike.
    expect(refusal(await wrong(guard, freshAddress())).reason).toBe('wrong-code');
    clock.advance(15 * MINUTE + 1000);
    // 499 wrong codes from addresses that each stay within their free tries, over 12 minutes.
    for (let i = 0; i < 499; i += 1) {
      expect(refusal(await wrong(guard, freshAddress())).reason).toBe('wrong-code');
      if (i % 40 === 39) clock.advance(MINUTE);
    }
    // Not a spike yet: no ticket asked for, the right code opens, administrators are not told.
    expect(await guard.ticketIfNeeded('receipt', freshAddress())).toBeUndefined();
    expect((await guard.attempt('receipt', freshAddress(), {}, web, checker(true).verify)).ok).toBe(true);
    expect(audited).toEqual([]);
    // The 500th is still checked, and starts the spike.
    expect(refusal(await wrong(guard, freshAddress())).reason).toBe('wrong-code');
    since = clock.at;
  }, 60_000);

  it('tells administrators once, with the numbers of the rule', () => {
    expect(setup.audited).toEqual([
      {
        actorKind: 'public',
        action: 'code.guessing-spike',
        detail: { codes: 'receipt', wrongCodes: 500, withinMinutes: 15, challengeMinutes: 15 },
      },
    ]);
  });

  it('shows the spike on the administrators’ banner for the next 15 minutes', async () => {
    expect(await setup.guard.activeSpikes()).toEqual([
      { kind: 'receipt', since: new Date(since).toISOString(), until: new Date(since + 15 * MINUTE).toISOString() },
    ]);
  });

  it('asks a page for a ticket: a puzzle, or 30 seconds of waiting', async () => {
    const ticket = await setup.guard.ticketIfNeeded('receipt', freshAddress());
    expect(ticket).toMatchObject({ algorithm: 'SHA-256', maxnumber: 100_000, waitSeconds: 30 });
    expect(ticket!.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(ticket!.challenge).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not check the right code without a ticket, and offers one instead', async () => {
    const right = checker(true);
    const r = refusal(await setup.guard.attempt('receipt', freshAddress(), {}, web, right.verify));
    expect(r).toMatchObject({ reason: 'spike', retryAfterSeconds: 30, tooEarly: false });
    expect(r.reason === 'spike' && r.ticket?.waitSeconds).toBe(30);
    expect(right.calls.n).toBe(0);
  });

  it('refuses the API outright, with the time left of the spike', async () => {
    const right = checker(true);
    const r = refusal(
      await setup.guard.attempt('receipt', freshAddress(), { ticket: 'x'.repeat(20) }, api, right.verify),
    );
    expect(r).toEqual({ ok: false, reason: 'spike', ticket: undefined, retryAfterSeconds: 15 * 60, tooEarly: false });
    expect(right.calls.n).toBe(0);
  });

  it('leaves member codes alone: the spike is of receipt codes', async () => {
    expect((await setup.guard.attempt('member', freshAddress(), {}, web, checker(true).verify)).ok).toBe(true);
    expect(await setup.guard.ticketIfNeeded('member', freshAddress())).toBeUndefined();
  });

  it('opens for the right code with a solved ticket, once: a replay is offered a new ticket', async () => {
    const { guard } = setup;
    const address = freshAddress();
    const ticket = (await guard.ticketIfNeeded('receipt', address))!;
    // The same page reloaded shows the same ticket.
    expect((await guard.ticketIfNeeded('receipt', address))!.id).toBe(ticket.id);
    const answer = { ticket: ticket.id, pow: solve(ticket) };
    expect(await guard.attempt('receipt', address, answer, web, checker(true).verify)).toEqual({
      ok: true,
      value: RIGHT,
    });
    const replay = refusal(await guard.attempt('receipt', address, answer, web, checker(true).verify));
    expect(replay.reason).toBe('spike');
    expect(replay.reason === 'spike' && replay.ticket!.id).not.toBe(ticket.id);
  });

  it('refuses a wrong answer to the puzzle until the wait is over', async () => {
    const { guard } = setup;
    const address = freshAddress();
    const ticket = (await guard.ticketIfNeeded('receipt', address))!;
    const bad = String((Number(solve(ticket)) + 1) % ticket.maxnumber);
    const r = refusal(
      await guard.attempt('receipt', address, { ticket: ticket.id, pow: bad }, web, checker(true).verify),
    );
    expect(r).toMatchObject({ reason: 'spike', tooEarly: true, retryAfterSeconds: 30 });
    expect(r.reason === 'spike' && r.ticket!.id).toBe(ticket.id);
    for (const pow of ['', '12a', '1234567890'])
      expect(
        refusal(await guard.attempt('receipt', address, { ticket: ticket.id, pow }, web, checker(true).verify)),
      ).toMatchObject({ tooEarly: true });
  });

  it('never admits a ticket given to another address, or one that is not a ticket', async () => {
    const { guard } = setup;
    const owner = freshAddress();
    const ticket = (await guard.ticketIfNeeded('receipt', owner))!;
    const answer = { ticket: ticket.id, pow: solve(ticket) };
    const elsewhere = refusal(await guard.attempt('receipt', freshAddress(), answer, web, checker(true).verify));
    expect(elsewhere).toMatchObject({ reason: 'spike', tooEarly: false });
    expect(elsewhere.reason === 'spike' && elsewhere.ticket!.id).not.toBe(ticket.id);
    for (const id of ['short', `${ticket.id}!`, 'a'.repeat(65)])
      expect(
        refusal(await guard.attempt('receipt', owner, { ticket: id, pow: answer.pow }, web, checker(true).verify)),
      ).toMatchObject({ tooEarly: false });
    // Still the owner's to use.
    expect((await guard.attempt('receipt', owner, answer, web, checker(true).verify)).ok).toBe(true);
  });

  it('opens without JavaScript once the wait is over, and spaces an address’s tickets by the wait', async () => {
    const { clock, guard } = setup;
    const address = freshAddress();
    const first = (await guard.ticketIfNeeded('receipt', address))!;
    clock.advance(10_000);
    const early = refusal(await guard.attempt('receipt', address, { ticket: first.id }, web, checker(true).verify));
    expect(early).toMatchObject({ reason: 'spike', tooEarly: true, retryAfterSeconds: 20 });
    clock.advance(20_000);
    expect((await guard.attempt('receipt', address, { ticket: first.id }, web, checker(true).verify)).ok).toBe(true);
    // The next ticket from that address waits from the end of the last one's wait.
    const second = (await guard.ticketIfNeeded('receipt', address))!;
    expect(second.id).not.toBe(first.id);
    expect(second.waitSeconds).toBe(30);
  });

  it('keeps a ticket usable for ten minutes after its wait, and not a second more', async () => {
    const { clock, guard } = setup;
    const [kept, late] = [freshAddress(), freshAddress()];
    const keptTicket = (await guard.ticketIfNeeded('receipt', kept))!;
    const lateTicket = (await guard.ticketIfNeeded('receipt', late))!;
    clock.advance(30_000 + 10 * MINUTE - 1000);
    expect((await guard.attempt('receipt', kept, { ticket: keptTicket.id }, web, checker(true).verify)).ok).toBe(true);
    clock.advance(1000);
    const r = refusal(await guard.attempt('receipt', late, { ticket: lateTicket.id }, web, checker(true).verify));
    expect(r).toMatchObject({ reason: 'spike', tooEarly: false });
    expect(r.reason === 'spike' && r.ticket!.id).not.toBe(lateTicket.id);
  });

  it('gives every ticket a puzzle of its own, so solving one says nothing about the next', async () => {
    const tickets = await Promise.all([1, 2, 3, 4].map(() => setup.guard.ticketIfNeeded('receipt', freshAddress())));
    const answers = tickets.map((t) => solve(t!));
    expect(new Set(answers).size).toBeGreaterThan(1);
    expect(new Set(tickets.map((t) => t!.challenge)).size).toBe(4);
  });

  it('ends by itself 15 minutes after it started when the guessing stops', async () => {
    const { clock, guard } = setup;
    clock.at = since + 15 * MINUTE;
    expect(await guard.activeSpikes()).toEqual([]);
    expect(await guard.ticketIfNeeded('receipt', freshAddress())).toBeUndefined();
    expect((await guard.attempt('receipt', freshAddress(), {}, web, checker(true).verify)).ok).toBe(true);
  });
});
