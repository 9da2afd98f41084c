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
 * Failure counters kept in the database so every instance sees them. Keys
 * are keyed hashes ("account:<id>", "address:<ip>"), so no address is stored.
 */
export class Throttle {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly key: Buffer,
    private readonly now: () => Date,
  ) {}

  keyFor(kind: 'account' | 'address', value: string): string {
    return hmac(this.key, `${kind}:${value}`);
  }

  async isLocked(keyHash: string): Promise<boolean> {
    const row = await throttleRepository.find(this.db, keyHash);
    return !!row?.locked_until && Date.parse(row.locked_until) > this.now().getTime();
  }

  /** Counts a failure; returns true when this failure has just locked the key. */
  async fail(keyHash: string, policy: ThrottlePolicy): Promise<boolean> {
    const now = this.now();
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
    const failures = await throttleRepository.countFailure(this.db, keyHash, at, windowStart);
    if (failures < policy.maxFailures) return false;
    return throttleRepository.lockIfReached(this.db, keyHash, policy.maxFailures, at, new Date(now.getTime() + policy.lockMs).toISOString());
  }

  async clear(keyHash: string): Promise<void> {
    await throttleRepository.remove(this.db, keyHash);
  }
}
