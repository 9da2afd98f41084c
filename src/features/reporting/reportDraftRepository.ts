import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, ReportDraftsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for reports being written; a draft is found by the hash of its cookie, never the cookie itself. */
export const reportDraftRepository = {
  insert: (db: Executor, row: Insertable<ReportDraftsTable>) => db.insertInto('report_drafts').values(row).execute(),

  byIdHash: (db: Executor, idHash: string) =>
    db.selectFrom('report_drafts').selectAll().where('id_hash', '=', idHash).executeTakeFirst(),

  setAnswers: (db: Executor, idHash: string, answersEnc: string, reached: number) =>
    db.updateTable('report_drafts').set({ answers_enc: answersEnc, reached }).where('id_hash', '=', idHash).execute(),

  delete: (db: Executor, idHash: string) => db.deleteFrom('report_drafts').where('id_hash', '=', idHash).execute(),

  /** Deletes the drafts expired by `nowIso`; returns how many. */
  deleteExpired: async (db: Executor, nowIso: string) =>
    Number((await db.deleteFrom('report_drafts').where('expires_at', '<=', nowIso).executeTakeFirst()).numDeletedRows),
};
