import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CaseEventsTable, DB, EngagementChangesTable, EngagementCurrentTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the engagement history and the current status. */
export const engagementRepository = {
  insertChange: (db: Executor, row: Insertable<EngagementChangesTable>) =>
    db.insertInto('engagement_changes').values(row).execute(),

  setCurrent: (db: Executor, row: Insertable<EngagementCurrentTable>) =>
    db
      .insertInto('engagement_current')
      .values(row)
      .onConflict((oc) =>
        oc.column('report_id').doUpdateSet({
          status: row.status,
          wants_support: row.wants_support ?? null,
          changed_on: row.changed_on,
          updated_at: row.updated_at,
        }),
      )
      .execute(),

  insertCaseEvent: (db: Executor, row: Insertable<CaseEventsTable>) =>
    db.insertInto('case_events').values(row).execute(),

  current: (db: Executor, reportId: string) =>
    db.selectFrom('engagement_current').selectAll().where('report_id', '=', reportId).executeTakeFirst(),

  changes: (db: Executor, reportId: string) =>
    db
      .selectFrom('engagement_changes')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
};
