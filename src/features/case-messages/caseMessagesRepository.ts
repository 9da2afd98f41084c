import type { Insertable, Kysely, Transaction } from 'kysely';
import type {
  CaseContactRequestsTable,
  CaseEventsTable,
  CaseMessagesTable,
  CaseTasksTable,
  DB,
} from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for case messages and contact requests. The caller has already checked the case (PoliceCaseScope.caseOf). */
export const caseMessagesRepository = {
  insertMessage: (db: Executor, row: Insertable<CaseMessagesTable>) =>
    db.insertInto('case_messages').values(row).execute(),
  messages: (db: Executor, caseId: string) =>
    db
      .selectFrom('case_messages')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1000)
      .execute(),

  /** The liaison's task on the report, and its line in the case history (casework's tables). */
  insertTask: (db: Executor, row: Insertable<CaseTasksTable>) => db.insertInto('case_tasks').values(row).execute(),
  insertCaseEvent: (db: Executor, row: Insertable<CaseEventsTable>) =>
    db.insertInto('case_events').values(row).execute(),

  insertRequest: (db: Executor, row: Insertable<CaseContactRequestsTable>) =>
    db.insertInto('case_contact_requests').values(row).execute(),
  requests: (db: Executor, caseId: string) =>
    db
      .selectFrom('case_contact_requests')
      .leftJoin('case_tasks', 'case_tasks.id', 'case_contact_requests.task_id')
      .select([
        'case_contact_requests.id',
        'case_contact_requests.requested_by_kind',
        'case_contact_requests.requested_by_id',
        'case_contact_requests.reason_enc',
        'case_contact_requests.requested_at',
        'case_contact_requests.reach_me_id',
        'case_contact_requests.person_created_at',
        'case_tasks.owner_id',
        'case_tasks.due_on',
        'case_tasks.done_at',
      ])
      .where('case_contact_requests.case_id', '=', caseId)
      .orderBy('case_contact_requests.requested_at', 'desc')
      .orderBy('case_contact_requests.id')
      .execute(),

  /** The report a case came from, within the support organisation. */
  report: (db: Executor, supportOrgId: string, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'assignee_id', 'person_id', 'contact_enc'])
      .where('id', '=', reportId)
      .where('org_id', '=', supportOrgId)
      .executeTakeFirst(),

  referralSender: (db: Executor, caseId: string) =>
    db
      .selectFrom('police_cases')
      .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
      .select(['referrals.sent_by_kind', 'referrals.sent_by_id'])
      .where('police_cases.id', '=', caseId)
      .executeTakeFirst(),

  /** Active people of the organisation who can hold cases (caseworker or liaison, as a role or an administrator's working role), oldest account first. */
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
      .orderBy('id')
      .execute(),

  workingContactPoints: async (db: Executor, orgId: string, personId: string): Promise<number> => {
    const row = await db
      .selectFrom('contact_points')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  openReachMe: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('reach_me_entries')
      .select('id')
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .where('closed_at', 'is', null)
      .executeTakeFirst(),
};
