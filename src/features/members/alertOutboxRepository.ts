import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AlertOutboxTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the outbox of alert emails about published warnings. */
export const alertOutboxRepository = {
  /** Adds the rows in one statement, skipping any member already queued for that warning; how many were added. */
  async insertMissing(db: Executor, rows: Insertable<AlertOutboxTable>[]): Promise<number> {
    const result = await db
      .insertInto('alert_outbox')
      .values(rows)
      .onConflict((oc) => oc.columns(['member_id', 'warning_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  },

  /** Unsent rows due by `now` with attempts left, soonest due first. */
  due(db: Executor, now: string, maxAttempts: number, limit: number) {
    return db
      .selectFrom('alert_outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('attempts', '<', maxAttempts)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
  },

  /**
   * Counts the attempt only if no one else has since `seenAttempts` was read (compare-and-set),
   * so two instances never send the same email. True for the one that claimed it.
   */
  async claim(db: Executor, id: string, seenAttempts: number, attempts: number, retryAt: string): Promise<boolean> {
    const claimed = await db
      .updateTable('alert_outbox')
      .set({ attempts, next_attempt_at: retryAt })
      .where('id', '=', id)
      .where('attempts', '=', seenAttempts)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return Number(claimed.numUpdatedRows) === 1;
  },

  remove(db: Executor, id: string) {
    return db.deleteFrom('alert_outbox').where('id', '=', id).execute();
  },

  /** Marks the row sent and blanks the warning text, which is not kept any longer than needed. */
  markSent(db: Executor, id: string, at: string) {
    return db
      .updateTable('alert_outbox')
      .set({ sent_at: at, title_enc: '', body_enc: '', last_error: null })
      .where('id', '=', id)
      .execute();
  },

  recordError(db: Executor, id: string, code: string) {
    return db.updateTable('alert_outbox').set({ last_error: code }).where('id', '=', id).execute();
  },

  unsentAttempts(db: Executor) {
    return db.selectFrom('alert_outbox').select(['attempts']).where('sent_at', 'is', null).execute();
  },
};
