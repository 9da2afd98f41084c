import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, ReportTagsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the inbox's derived `report_tags` rows and the facts they are rebuilt from. */
export const reportTagRepository = {
  /** What a report's tags are made from: its organisation, submitted time, incident types and risk flags. */
  report: (db: Executor, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['org_id', 'submitted_at', 'incident_types', 'risk_flags'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow(),

  /** The report's consent ledger, oldest first, as much of it as a replay needs. */
  consentDecisions: (db: Executor, reportId: string) =>
    db
      .selectFrom('consent_entries')
      .select(['scope', 'decision'])
      .where('report_id', '=', reportId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),

  deleteFor: (db: Executor, reportId: string) =>
    db.deleteFrom('report_tags').where('report_id', '=', reportId).execute(),

  /** One statement for all of a report's tags. */
  insert: (db: Executor, rows: Insertable<ReportTagsTable>[]) => db.insertInto('report_tags').values(rows).execute(),
};
