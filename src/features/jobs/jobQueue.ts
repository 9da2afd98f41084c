import type { Kysely, Transaction } from 'kysely';
import { randomId } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/schema.ts';
import { jobRepository as repo } from './jobRepository.ts';

/** What a job is given: ids and small values only, never personal data (the row is not encrypted). */
export type JobPayload = Readonly<Record<string, string | number | boolean | null>>;

export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * How producers ask for work to happen later. Pass the transaction of the
 * change: the job then commits or rolls back with it (a transactional outbox),
 * so a crash just after the commit cannot lose it.
 */
export class JobQueue {
  constructor(private readonly now: () => Date) {}

  async enqueue(
    db: Kysely<DB> | Transaction<DB>,
    type: string,
    payload: JobPayload = {},
    options: { runAt?: Date; dedupeKey?: string; maxAttempts?: number } = {},
  ): Promise<boolean> {
    const at = this.now().toISOString();
    return repo.insert(db, {
      id: randomId(),
      type,
      payload: JSON.stringify(payload),
      dedupe_key: options.dedupeKey ?? null,
      run_at: (options.runAt ?? this.now()).toISOString(),
      attempts: 0,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: at,
      started_at: null,
      finished_at: null,
      failed_at: null,
      dismissed_at: null,
    });
  }

  /** Forgets finished jobs older than `before`; failed ones stay until dismissed. */
  purgeFinished(db: Kysely<DB>, before: Date): Promise<number> {
    return repo.purgeFinished(db, before.toISOString());
  }
}
