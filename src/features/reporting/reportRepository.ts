import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, ReportAdditionsTable, ReportMessagesTable, ReportsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for reports, their message thread and what the person added later. */
export const reportRepository = {
  insert: (db: Executor, row: Insertable<ReportsTable>) => db.insertInto('reports').values(row).execute(),

  /** The report an idempotency key (its hash) already made, if any. */
  byIdempotencyHash: (db: Executor, idempotencyHash: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'submitted_at', 'idempotency_body_hash'])
      .where('idempotency_hash', '=', idempotencyHash)
      .executeTakeFirst(),

  /** The report a receipt code's lookup value finds, with the verifier the code must still pass. */
  byReceiptLookup: (db: Executor, receiptLookup: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'receipt_verifier'])
      .where('receipt_lookup', '=', receiptLookup)
      .executeTakeFirst(),

  /** What "Check your report" shows of the report itself; throws when there is none. */
  reporterSummary: (db: Executor, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['reference', 'status', 'submitted_at'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow(),

  /** An erased report is not found: nothing more may be added to it. */
  idInOrg: async (db: Executor, orgId: string, reference: string) =>
    (
      await db
        .selectFrom('reports')
        .select('id')
        .where('reference', '=', reference)
        .where('org_id', '=', orgId)
        .where('erased_at', 'is', null)
        .executeTakeFirst()
    )?.id,

  /** When and why the report was erased, if it was. */
  erasure: (db: Executor, reportId: string) =>
    db.selectFrom('reports').select(['erased_at', 'erased_because']).where('id', '=', reportId).executeTakeFirst(),

  /** Throws when there is no such report. */
  orgOf: (db: Executor, reportId: string) =>
    db.selectFrom('reports').select('org_id').where('id', '=', reportId).executeTakeFirstOrThrow(),

  /** The whole row, looked up within the organisation. */
  inOrg: (db: Executor, orgId: string, reference: string) =>
    db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),

  /** Sets the first-read time only if nobody has set it yet. */
  markFirstRead: (db: Executor, reportId: string, at: string) =>
    db
      .updateTable('reports')
      .set({ first_read_at: at })
      .where('id', '=', reportId)
      .where('first_read_at', 'is', null)
      .execute(),

  /** The thread, oldest first. */
  messages: (db: Executor, reportId: string) =>
    db.selectFrom('report_messages').selectAll().where('report_id', '=', reportId).orderBy('sent_at').execute(),

  insertMessage: (db: Executor, row: Insertable<ReportMessagesTable>) =>
    db.insertInto('report_messages').values(row).execute(),

  /** What the person added, oldest first. */
  additions: (db: Executor, reportId: string) =>
    db.selectFrom('report_additions').selectAll().where('report_id', '=', reportId).orderBy('added_at').execute(),

  insertAddition: (db: Executor, row: Insertable<ReportAdditionsTable>) =>
    db.insertInto('report_additions').values(row).execute(),
};
