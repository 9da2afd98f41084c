import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB, ReportsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for triage: who can hold a case, a report's triage state and its case events. */
export const triageRepository = {
  /** Enabled users of the organisation whose role, or casework role, is one of `roles`. */
  caseHolders: (db: Executor, orgId: string, roles: string[]) =>
    db
      .selectFrom('users')
      .select(['id', 'email_enc'])
      .where('org_id', '=', orgId)
      .where((eb) => eb.or([eb('role', 'in', roles), eb('casework_role', 'in', roles)]))
      .where('disabled_at', 'is', null)
      .execute(),

  /** The triage state of a report of this organisation; throws when there is none. */
  stateInOrg: (db: Executor, orgId: string, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['status', 'assignee_id', 'priority', 'risk_flags'])
      .where('id', '=', reportId)
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow(),

  state: (db: Executor, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['status', 'assignee_id', 'priority', 'risk_flags'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow(),

  setState: (
    db: Executor,
    reportId: string,
    state: Required<Pick<Updateable<ReportsTable>, 'status' | 'assignee_id' | 'priority' | 'risk_flags'>>,
  ) => db.updateTable('reports').set(state).where('id', '=', reportId).execute(),

  /** The case's events, oldest first. */
  events: (db: Executor, reportId: string) =>
    db
      .selectFrom('case_events')
      .select(['at', 'kind', 'detail_enc', 'actor_kind', 'actor_id'])
      .where('report_id', '=', reportId)
      .orderBy('at')
      .orderBy('id')
      .execute(),
};
