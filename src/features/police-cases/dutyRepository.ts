import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB, DutiesTable, PersonUpdatesTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

const dutyRows = (db: Executor) =>
  db
    .selectFrom('duties')
    .select([
      'duties.id',
      'duties.case_id',
      'duties.event_id',
      'duties.due_on',
      'duties.resolved_at',
      'duties.met_at',
      'duties.how',
      'duties.event_type as type',
    ]);

/** SQL for Victims' Code duties, the rules that create them and the update a duty can leave on Check your report. */
export const dutyRepository = {
  rule: (db: Executor, eventType: string) =>
    db.selectFrom('victims_code_rules').selectAll().where('event_type', '=', eventType).executeTakeFirst(),

  insert: (db: Executor, row: Insertable<DutiesTable>) => db.insertInto('duties').values(row).execute(),

  ofCase: (db: Executor, caseId: string) =>
    dutyRows(db).where('duties.case_id', '=', caseId).orderBy('duties.due_on').execute(),

  /** Unresolved duties of one side's organisation, oldest deadline first; an officer's only on the cases they hold. */
  unresolved: (
    db: Executor,
    filter: {
      side: 'police' | 'support';
      orgId: string;
      officerId?: string;
      state: 'overdue' | 'due' | 'open';
      today: string;
      limit: number;
    },
  ) => {
    const column = filter.side === 'police' ? 'duties.police_org_id' : 'duties.support_org_id';
    let q = dutyRows(db).where(column, '=', filter.orgId).where('duties.resolved_at', 'is', null);
    const officerId = filter.officerId;
    if (officerId !== undefined)
      q = q.where('duties.case_id', 'in', (eb) =>
        eb
          .selectFrom('police_cases')
          .select('id')
          .where('officer_id', '=', officerId)
          .where('police_org_id', '=', filter.orgId),
      );
    if (filter.state === 'overdue') q = q.where('duties.due_on', '<', filter.today);
    if (filter.state === 'due') q = q.where('duties.due_on', '=', filter.today);
    return q.orderBy('duties.due_on').orderBy('duties.id').limit(filter.limit).execute();
  },

  /** The earliest deadline of an unresolved duty, per case. */
  nextDueByCase: (db: Executor, caseIds: readonly string[]) =>
    db
      .selectFrom('duties')
      .select(['case_id', (eb) => eb.fn.min('due_on').as('next_due')])
      .where('case_id', 'in', caseIds)
      .where('resolved_at', 'is', null)
      .groupBy('case_id')
      .execute(),

  /** What deciding who may record a duty needs. */
  forResolution: (db: Executor, dutyId: string) =>
    db
      .selectFrom('duties')
      .select(['id', 'case_id', 'police_org_id', 'support_org_id', 'resolved_at'])
      .where('id', '=', dutyId)
      .executeTakeFirst(),

  /** Records the outcome; a duty already resolved is left as it was. */
  resolve: (db: Executor, dutyId: string, outcome: Updateable<DutiesTable>) =>
    db.updateTable('duties').set(outcome).where('id', '=', dutyId).where('resolved_at', 'is', null).execute(),

  notMetReason: (db: Executor, dutyId: string) =>
    db.selectFrom('duties').select(['case_id', 'not_met_reason_enc']).where('id', '=', dutyId).executeTakeFirst(),

  /** The words the person reads on Check your report (reporting's table, written in the duty's transaction). */
  insertPersonUpdate: (db: Executor, row: Insertable<PersonUpdatesTable>) =>
    db.insertInto('person_updates').values(row).execute(),
};
