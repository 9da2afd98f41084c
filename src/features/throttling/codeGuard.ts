import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { DB } from '../../platform/db/schema.ts';
import type { AuditTrail } from '../audit/index.ts';
import { addressBucket } from './addressBucket.ts';
import { codeTicketRepository } from './codeTicketRepository.ts';
import type { BackOffPolicy, Throttle, ThrottlePolicy } from './throttle.ts';

/** The codes people type to get back in: receipt codes (reports) and member codes. */
export type CodeKind = 'receipt' | 'member';

/**
 * Per address (an IPv6 /64 counts as one): five wrong codes a day cost nothing, then each wrong
 * code locks that address for 1, 2, 4 … minutes, up to a day. Guessing one 16-digit code from an
 * address gets nowhere; a person who mistypes a few times is barely held up.
 */
export const CODE_ADDRESS_POLICY: BackOffPolicy = {
  freeFailures: 5,
  windowMs: 24 * 60 * 60_000,
  firstLockMs: 60_000,
  maxLockMs: 24 * 60 * 60_000,
};
/**
 * Everywhere at once: this many wrong codes within 15 minutes is a spread-out guessing attack
 * (far above a charity's typing mistakes). It never refuses a right code: for the next 15
 * minutes (renewed while it goes on) each attempt must carry a ticket, and administrators are told.
 */
export const CODE_SPIKE_POLICY: ThrottlePolicy = { maxFailures: 500, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** How long one attempt holds its address (released as soon as it is answered). */
const ATTEMPT_HOLD_MS = 5_000;
/** Without JavaScript a ticket is used by waiting this long after it was given. */
export const TICKET_WAIT_MS = 30_000;
export const TICKET_LIFETIME_MS = 10 * 60_000;
/** SHA-256 proof of work: on average half this many hashes, about a second on a cheap phone. */
export const PROOF_OF_WORK_MAX = 100_000;

/** What a page needs to offer a ticket: the proof-of-work puzzle and the wait. */
export interface Ticket {
  id: string;
  algorithm: 'SHA-256';
  challenge: string;
  salt: string;
  maxnumber: number;
  /** Seconds until waiting alone makes this ticket usable (0: usable now). */
  waitSeconds: number;
}

/** What came back with an attempt: a ticket id and, from the browser's solver, its proof. */
export interface TicketAnswer {
  ticket?: string | undefined;
  pow?: string | undefined;
}

export type Refusal =
  /** The code was checked and is not right; `retryAfterSeconds` > 0 when this address must now wait. */
  | { reason: 'wrong-code'; retryAfterSeconds: number }
  /** This address has tried too many wrong codes: not checked. */
  | { reason: 'address-back-off'; retryAfterSeconds: number }
  /**
   * A guessing spike: not checked without a usable ticket. `ticket` is one to use (absent when
   * the caller offers none, as the API does); `tooEarly` when the ticket sent was not yet usable.
   */
  | { reason: 'spike'; ticket: Ticket | undefined; retryAfterSeconds: number; tooEarly: boolean };

export type CodeAttempt<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export interface ActiveSpike {
  kind: CodeKind;
  since: string;
  until: string;
}

/**
 * Guards every place a receipt or member code is typed. The right code is never refused to its
 * owner by what others did: the global counter only asks for a ticket (proof of work, or a short
 * wait without JavaScript), and per-address limits touch only the address that guessed.
 */
export class CodeGuard {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly throttle: Throttle,
    private readonly audit: AuditTrail,
    private readonly ticketKey: Buffer,
    private readonly now: () => Date,
  ) {}

  /**
   * Admits an attempt, runs `verify` (the code check, which answers undefined for a wrong code),
   * and counts a wrong code. `offerTickets: false` (the API) refuses outright under a spike.
   */
  async attempt<T>(
    kind: CodeKind,
    address: string,
    answer: TicketAnswer,
    options: { offerTickets: boolean },
    verify: () => Promise<T | undefined>,
  ): Promise<CodeAttempt<T>> {
    const addressKey = this.addressKey(kind, address);
    const now = this.now().getTime();
    // One attempt at a time per address: parallel guesses cannot all slip in before the first is counted.
    const claim = await this.throttle.claim(addressKey, ATTEMPT_HOLD_MS);
    if (claim === undefined) {
      const until = (await this.throttle.lockedUntil(addressKey)) ?? now + ATTEMPT_HOLD_MS;
      return { ok: false, reason: 'address-back-off', retryAfterSeconds: seconds(until - now) };
    }
    let counted = false;
    try {
      const spikeEnds = await this.throttle.lockedUntil(this.spikeKey(kind));
      if (spikeEnds !== undefined) {
        const pass = await this.useTicket(addressKey, answer);
        if (pass !== 'admitted') {
          if (!options.offerTickets)
            return {
              ok: false,
              reason: 'spike',
              ticket: undefined,
              retryAfterSeconds: seconds(spikeEnds - now),
              tooEarly: false,
            };
          const ticket = pass === 'too-early' ? await this.present(answer.ticket!) : await this.ticketFor(addressKey);
          return {
            ok: false,
            reason: 'spike',
            ticket,
            retryAfterSeconds: ticket.waitSeconds,
            tooEarly: pass === 'too-early',
          };
        }
      }
      const value = await verify();
      if (value !== undefined) return { ok: true, value };
      counted = true;
      const lockMs = await this.throttle.backOff(addressKey, CODE_ADDRESS_POLICY);
      if (await this.throttle.fail(this.spikeKey(kind), CODE_SPIKE_POLICY)) {
        await this.audit.record({
          actorKind: 'public',
          action: 'code.guessing-spike',
          detail: {
            codes: kind,
            wrongCodes: CODE_SPIKE_POLICY.maxFailures,
            withinMinutes: CODE_SPIKE_POLICY.windowMs / 60_000,
            challengeMinutes: CODE_SPIKE_POLICY.lockMs / 60_000,
          },
        });
      }
      return { ok: false, reason: 'wrong-code', retryAfterSeconds: seconds(lockMs) };
    } finally {
      // A wrong code set the address's lock (or lifted it) in backOff; otherwise the claim ends here.
      if (!counted) await this.throttle.release(addressKey, claim);
    }
  }

  /** A ticket for a page that asks for a code, or undefined when there is no spike (none needed). */
  async ticketIfNeeded(kind: CodeKind, address: string): Promise<Ticket | undefined> {
    if ((await this.throttle.lockedUntil(this.spikeKey(kind))) === undefined) return undefined;
    return this.ticketFor(this.addressKey(kind, address));
  }

  /** Guessing spikes going on now, for the administrators' banner. */
  async activeSpikes(): Promise<ActiveSpike[]> {
    const spikes: ActiveSpike[] = [];
    for (const kind of ['receipt', 'member'] as const) {
      const until = await this.throttle.lockedUntil(this.spikeKey(kind));
      const since = await this.throttle.lockStartedAt(this.spikeKey(kind));
      if (until !== undefined && since) spikes.push({ kind, since, until: new Date(until).toISOString() });
    }
    return spikes;
  }

  private addressKey(kind: CodeKind, address: string): string {
    return this.throttle.keyFor('address', `${kind}-code:${addressBucket(address)}`);
  }

  private spikeKey(kind: CodeKind): string {
    return this.throttle.keyFor('address', `${kind}-code:*`);
  }

  /** Spends the ticket sent if it is this address's, unspent, unexpired, and solved or waited for. */
  private async useTicket(addressKey: string, answer: TicketAnswer): Promise<'admitted' | 'too-early' | 'none'> {
    if (!answer.ticket || !/^[A-Za-z0-9_-]{10,64}$/.test(answer.ticket)) return 'none';
    const now = this.now();
    const row = await codeTicketRepository.find(this.db, answer.ticket);
    if (!row || row.address_key !== addressKey || row.spent_at || Date.parse(row.expires_at) <= now.getTime())
      return 'none';
    const solved =
      answer.pow !== undefined && /^\d{1,9}$/.test(answer.pow) && (await this.solves(row.id, Number(answer.pow)));
    if (!solved && Date.parse(row.not_before) > now.getTime()) return 'too-early';
    return (await codeTicketRepository.spend(this.db, row.id, now.toISOString())) ? 'admitted' : 'none';
  }

  /**
   * The address's live ticket, or a new one. Tickets from one address are spaced by the wait, so
   * waiting (no proof of work) admits one attempt per address every 30 seconds at most.
   */
  private async ticketFor(addressKey: string): Promise<Ticket> {
    const now = this.now();
    const at = now.toISOString();
    await codeTicketRepository.deleteExpired(this.db, at);
    const live = await codeTicketRepository.live(this.db, addressKey, at);
    if (live) return this.present(live.id, live.not_before);
    const previous = await codeTicketRepository.latestNotBefore(this.db, addressKey, at);
    const from = Math.max(now.getTime(), previous ? Date.parse(previous) : 0);
    const row = {
      id: crypto.randomBytes(18).toString('base64url'),
      address_key: addressKey,
      not_before: new Date(from + TICKET_WAIT_MS).toISOString(),
      expires_at: new Date(from + TICKET_WAIT_MS + TICKET_LIFETIME_MS).toISOString(),
      spent_at: null,
    };
    await codeTicketRepository.insert(this.db, row);
    return this.present(row.id, row.not_before);
  }

  private async present(id: string, notBefore?: string): Promise<Ticket> {
    const nb = notBefore ?? (await codeTicketRepository.find(this.db, id))?.not_before ?? this.now().toISOString();
    const { algorithm, challenge, salt, maxnumber } = await this.challengeOf(id);
    return {
      id,
      algorithm: algorithm as 'SHA-256',
      challenge,
      salt,
      maxnumber: maxnumber ?? PROOF_OF_WORK_MAX,
      waitSeconds: seconds(Date.parse(nb) - this.now().getTime()),
    };
  }

  /** The puzzle is derived from the ticket id with a server key, so nothing about it is stored. */
  private challengeOf(id: string) {
    const number =
      crypto.createHmac('sha256', this.ticketKey).update(`pow:${id}`).digest().readUInt32BE(0) % PROOF_OF_WORK_MAX;
    return createChallenge({
      algorithm: 'SHA-256',
      hmacKey: this.ticketKey.toString('hex'),
      salt: id,
      number,
      maxNumber: PROOF_OF_WORK_MAX,
    });
  }

  private async solves(id: string, number: number): Promise<boolean> {
    const { algorithm, challenge, salt, signature } = await this.challengeOf(id);
    // Expiry is the ticket row's (checked by the caller against the service clock).
    return verifySolution({ algorithm, challenge, salt, signature, number }, this.ticketKey.toString('hex'), false);
  }
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}
