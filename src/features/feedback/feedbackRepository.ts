import type { Kysely, Transaction } from 'kysely';
import type { DB, FeedbackTable } from '../../platform/db/schema.ts';

export type FeedbackRow = FeedbackTable;
type Executor = Kysely<DB> | Transaction<DB>;

export const feedbackRepository = {
  insert(db: Executor, row: FeedbackRow) {
    return db.insertInto('feedback').values(row).execute();
  },
  /** Newest first; the id breaks ties so pages never overlap or skip a row. */
  newestFirst(db: Executor, { limit, offset }: { limit: number; offset: number }) {
    return db
      .selectFrom('feedback')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  },
};
