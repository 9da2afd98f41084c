import type { Insertable, Kysely, Transaction } from 'kysely';
import type { CaseEventsTable, CaseNotesTable, CaseTasksTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for notes, tasks and the parts of the case history kept elsewhere (messages, consent ledger). */
export const caseWorkRepository = {
  insertNote: (db: Executor, row: Insertable<CaseNotesTable>) => db.insertInto('case_notes').values(row).execute(),
  insertTask: (db: Executor, row: Insertable<CaseTasksTable>) => db.insertInto('case_tasks').values(row).execute(),
  insertEvent: (db: Executor, row: Insertable<CaseEventsTable>) => db.insertInto('case_events').values(row).execute(),

  notes: (db: Executor, reportId: string) =>
    db
      .selectFrom('case_notes')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),

  tasks: (db: Executor, reportId: string) =>
    db
      .selectFrom('case_tasks')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),

  task: (db: Executor, reportId: string, taskId: string) =>
    db
      .selectFrom('case_tasks')
      .selectAll()
      .where('id', '=', taskId)
      .where('report_id', '=', reportId)
      .executeTakeFirst(),

  setTaskDone: (db: Executor, taskId: string, doneAt: string | null) =>
    db.updateTable('case_tasks').set({ done_at: doneAt }).where('id', '=', taskId).execute(),

  /** Open tasks a person owns in their organisation, earliest due (so overdue) first. */
  openTasksOwnedBy: (db: Executor, orgId: string, ownerId: string) =>
    db
      .selectFrom('case_tasks')
      .innerJoin('reports', 'reports.id', 'case_tasks.report_id')
      .select([
        'case_tasks.id',
        'case_tasks.title_enc',
        'case_tasks.due_on',
        'case_tasks.created_at',
        'reports.reference',
      ])
      .where('case_tasks.owner_id', '=', ownerId)
      .where('case_tasks.done_at', 'is', null)
      .where('case_tasks.org_id', '=', orgId)
      .where('reports.org_id', '=', orgId)
      .orderBy('case_tasks.due_on')
      .orderBy('case_tasks.created_at')
      .execute(),

  messages: (db: Executor, reportId: string) =>
    db
      .selectFrom('report_messages')
      .select(['id', 'sender', 'author_id', 'body_enc', 'sent_at'])
      .where('report_id', '=', reportId)
      .orderBy('sent_at')
      .execute(),

  consentEntries: (db: Executor, reportId: string) =>
    db
      .selectFrom('consent_entries')
      .select(['id', 'scope', 'decision', 'method', 'recorded_by', 'recorded_by_token', 'recorded_at'])
      .where('report_id', '=', reportId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),

  /** An erased report is not found: nothing more may be recorded on it. */
  reportInOrg: (db: Executor, orgId: string, reference: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference'])
      .where('reference', '=', reference)
      .where('org_id', '=', orgId)
      .where('erased_at', 'is', null)
      .executeTakeFirst(),
};
