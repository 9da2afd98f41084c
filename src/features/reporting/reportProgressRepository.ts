import type { Insertable, Kysely, Transaction } from 'kysely';
import type {
  CaseEventsTable,
  CaseTasksTable,
  DB,
  PersonRequestsTable,
  ReportMessagesTable,
} from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * SQL for what the person sees of their own report. It reads only what the
 * person gave, what happened to it, and what the charity chose to tell them:
 * never case notes, case messages, officer names, crime references or risk flags.
 */
export const reportProgressRepository = {
  report: (db: Executor, reportId: string) =>
    db
      .selectFrom('reports')
      .select([
        'id',
        'org_id',
        'reference',
        'status',
        'submitted_at',
        'first_read_at',
        'incident_types',
        'occurred_on',
        'area',
        'area_enc',
        'account_enc',
        'details_enc',
        'contact_enc',
        'assignee_id',
      ])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow(),

  /** Assignments only: the detail says to whom (a user id), nothing else of the case events is read. */
  assignments: (db: Executor, reportId: string) =>
    db
      .selectFrom('case_events')
      .select(['at', 'detail_enc'])
      .where('report_id', '=', reportId)
      .where('kind', '=', 'assigned')
      .orderBy('at')
      .orderBy('id')
      .execute(),

  shownNames: (db: Executor, userIds: string[]) =>
    userIds.length
      ? db.selectFrom('users').select(['id', 'shown_name_enc']).where('id', 'in', userIds).execute()
      : Promise.resolve([]),

  /** Each referral with the force's name; the crime reference, officer and decline reason are not selected. */
  referrals: (db: Executor, reportId: string) =>
    db
      .selectFrom('referrals')
      .innerJoin('organisations as force', 'force.id', 'referrals.police_org_id')
      .select([
        'referrals.id',
        'referrals.level',
        'referrals.status',
        'referrals.sent_at',
        'referrals.decided_at',
        'force.name as force',
      ])
      .where('referrals.report_id', '=', reportId)
      .orderBy('referrals.sent_at')
      .execute(),

  /** Warnings made from the report that were published (members saw them). */
  warnings: (db: Executor, reportId: string) =>
    db
      .selectFrom('warning_reports')
      .innerJoin('warnings', 'warnings.id', 'warning_reports.warning_id')
      .select([
        'warnings.id',
        'warnings.title_enc',
        'warnings.body_enc',
        'warnings.published_at',
        'warnings.withdrawn_at',
        'warnings.expires_at',
      ])
      .where('warning_reports.report_id', '=', reportId)
      .where('warnings.published_at', 'is not', null)
      .orderBy('warnings.published_at')
      .execute(),

  consentEntries: (db: Executor, reportId: string) =>
    db
      .selectFrom('consent_entries')
      .select(['scope', 'decision', 'recorded_at', 'recorded_by', 'recorded_by_token'])
      .where('report_id', '=', reportId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),

  additions: (db: Executor, reportId: string) =>
    db
      .selectFrom('report_additions')
      .select(['text_enc', 'added_at'])
      .where('report_id', '=', reportId)
      .orderBy('added_at')
      .execute(),

  messages: (db: Executor, reportId: string) =>
    db
      .selectFrom('report_messages')
      .select(['sender', 'body_enc', 'sent_at'])
      .where('report_id', '=', reportId)
      .orderBy('sent_at')
      .execute(),

  insertMessage: (db: Executor, row: Insertable<ReportMessagesTable>) =>
    db.insertInto('report_messages').values(row).execute(),

  holidays: async (db: Executor) =>
    new Set((await db.selectFrom('bank_holidays').select('date').execute()).map((h) => h.date)),

  updates: (db: Executor, reportId: string) =>
    db
      .selectFrom('person_updates')
      .select(['id', 'text_enc', 'created_at'])
      .where('report_id', '=', reportId)
      .orderBy('created_at')
      .execute(),

  requests: (db: Executor, reportId: string) =>
    db
      .selectFrom('person_requests')
      .select(['kind', 'requested_at'])
      .where('report_id', '=', reportId)
      .orderBy('requested_at')
      .execute(),

  /** Whether a legal hold is in force: never its reason, which is for staff only. */
  heldNow: (db: Executor, reportId: string) =>
    db
      .selectFrom('legal_holds')
      .select('report_id')
      .where('report_id', '=', reportId)
      .where('released_at', 'is', null)
      .executeTakeFirst(),

  requestsFor: (db: Executor, reportIds: string[]) =>
    reportIds.length
      ? db
          .selectFrom('person_requests')
          .select(['report_id', 'kind', 'requested_at'])
          .where('report_id', 'in', reportIds)
          .execute()
      : Promise.resolve([]),

  insertRequest: (db: Executor, row: Insertable<PersonRequestsTable>) =>
    db
      .insertInto('person_requests')
      .values(row)
      .onConflict((oc) => oc.columns(['report_id', 'kind']).doNothing())
      .executeTakeFirst(),

  /** Confirmed appointments in the police cases that came from this report (venue details are the person's to know). */
  confirmedAppointments: (db: Executor, reportId: string) =>
    db
      .selectFrom('appointments')
      .innerJoin('police_cases', 'police_cases.id', 'appointments.case_id')
      .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
      .select([
        'appointments.id',
        'appointments.kind',
        'appointments.venue_kind',
        'appointments.venue_enc',
        'appointments.starts_at',
        'appointments.confirmed_at',
        'appointments.outcome',
        'appointments.confirmed_by_kind',
        'appointments.confirmed_by_id',
      ])
      .where('referrals.report_id', '=', reportId)
      .where('appointments.confirmed_at', 'is not', null)
      .orderBy('appointments.starts_at')
      .execute(),

  /** Active people of the organisation who can hold cases, oldest account first. */
  caseHolders: (db: Executor, orgId: string) =>
    db
      .selectFrom('users')
      .select(['id', 'role', 'casework_role'])
      .where('org_id', '=', orgId)
      .where('disabled_at', 'is', null)
      .where((eb) =>
        eb.or([eb('role', 'in', ['caseworker', 'liaison']), eb('casework_role', 'in', ['caseworker', 'liaison'])]),
      )
      .orderBy('created_at')
      .execute(),

  insertTask: (db: Executor, row: Insertable<CaseTasksTable>) => db.insertInto('case_tasks').values(row).execute(),
  insertCaseEvent: (db: Executor, row: Insertable<CaseEventsTable>) =>
    db.insertInto('case_events').values(row).execute(),
  markRead: (db: Executor, reportId: string, at: string) =>
    db
      .updateTable('reports')
      .set({ first_read_at: at })
      .where('id', '=', reportId)
      .where('first_read_at', 'is', null)
      .execute(),
};
