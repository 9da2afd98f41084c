import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { AppointmentsTable, CaseEventsTable, CaseTasksTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for appointments. The caller has already checked the case (PoliceCaseScope.caseOf). */
export const appointmentRepository = {
  insert: (db: Executor, row: Insertable<AppointmentsTable>) => db.insertInto('appointments').values(row).execute(),

  update: (db: Executor, id: string, set: Updateable<AppointmentsTable>) =>
    db.updateTable('appointments').set(set).where('id', '=', id).execute(),

  forCase: (db: Executor, caseId: string) =>
    db
      .selectFrom('appointments')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('starts_at')
      .orderBy('id')
      .limit(500)
      .execute(),

  byId: (db: Executor, id: string) => db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst(),

  /** The report the case came from, within the support organisation. */
  report: (db: Executor, supportOrgId: string, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'assignee_id'])
      .where('id', '=', reportId)
      .where('org_id', '=', supportOrgId)
      .executeTakeFirst(),

  /** Whether a user is an active case holder (caseworker or liaison, as a role or working role) of the organisation. */
  isCaseHolder: async (db: Executor, orgId: string, userId: string): Promise<boolean> => {
    const row = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .where('org_id', '=', orgId)
      .where('disabled_at', 'is', null)
      .where((eb) =>
        eb.or([eb('role', 'in', ['caseworker', 'liaison']), eb('casework_role', 'in', ['caseworker', 'liaison'])]),
      )
      .executeTakeFirst();
    return row !== undefined;
  },

  /** casework's tables: the reminder task and the report's history line. */
  insertTask: (db: Executor, row: Insertable<CaseTasksTable>) => db.insertInto('case_tasks').values(row).execute(),
  insertCaseEvent: (db: Executor, row: Insertable<CaseEventsTable>) =>
    db.insertInto('case_events').values(row).execute(),
  task: (db: Executor, id: string) =>
    db.selectFrom('case_tasks').select(['id', 'due_on', 'owner_id', 'done_at']).where('id', '=', id).executeTakeFirst(),
};
