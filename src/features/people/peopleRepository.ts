import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type {
  ContactAttemptsTable,
  ContactPointsTable,
  DB,
  PeopleTable,
  PersonEventsTable,
} from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for people, their contact points, contact attempts and history. Every look-up is scoped by organisation. */
export const peopleRepository = {
  insertPerson: (db: Executor, row: Insertable<PeopleTable>) => db.insertInto('people').values(row).execute(),
  updatePerson: (db: Executor, id: string, set: Updateable<PeopleTable>) =>
    db.updateTable('people').set(set).where('id', '=', id).execute(),

  person: (db: Executor, orgId: string, id: string) =>
    db.selectFrom('people').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst(),

  /** People not merged into another record, newest first; by exact working name when `nameIndex` is given. */
  list: (db: Executor, orgId: string, opts: { nameIndex?: string; limit: number; offset: number }) => {
    let query = db
      .selectFrom('people')
      .select(['id', 'working_name_enc', 'created_at'])
      .where('org_id', '=', orgId)
      .where('merged_into', 'is', null);
    if (opts.nameIndex) query = query.where('working_name_index', '=', opts.nameIndex);
    return query.orderBy('created_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute();
  },

  // An erased report is not found: linking it to a person would undo its erasure.
  reportInOrg: (db: Executor, orgId: string, reference: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'person_id'])
      .where('org_id', '=', orgId)
      .where('reference', '=', reference)
      .where('erased_at', 'is', null)
      .executeTakeFirst(),
  reportById: (db: Executor, orgId: string, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'person_id'])
      .where('org_id', '=', orgId)
      .where('id', '=', reportId)
      .where('erased_at', 'is', null)
      .executeTakeFirst(),
  linkReport: (db: Executor, reportId: string, personId: string | null) =>
    db.updateTable('reports').set({ person_id: personId }).where('id', '=', reportId).execute(),
  reportsOf: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'status', 'submitted_at'])
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .orderBy('submitted_at', 'desc')
      .execute(),

  insertContactPoint: (db: Executor, row: Insertable<ContactPointsTable>) =>
    db.insertInto('contact_points').values(row).execute(),
  contactPoint: (db: Executor, orgId: string, personId: string, id: string) =>
    db
      .selectFrom('contact_points')
      .selectAll()
      .where('id', '=', id)
      .where('person_id', '=', personId)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  contactPoints: (db: Executor, personId: string) =>
    db
      .selectFrom('contact_points')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('added_at')
      .orderBy('id')
      .execute(),
  updateContactPoint: (db: Executor, id: string, set: Updateable<ContactPointsTable>) =>
    db.updateTable('contact_points').set(set).where('id', '=', id).execute(),

  insertAttempt: (db: Executor, row: Insertable<ContactAttemptsTable>) =>
    db.insertInto('contact_attempts').values(row).execute(),
  attempts: (db: Executor, personId: string) =>
    db
      .selectFrom('contact_attempts')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('at', 'desc')
      .orderBy('id')
      .execute(),
  /** The latest attempt with one of `outcomes` for each person. */
  lastAttempts: (db: Executor, personIds: string[], outcomes: readonly string[]) =>
    db
      .selectFrom('contact_attempts')
      .select(['person_id', (eb) => eb.fn.max('at').as('last_at')])
      .where('person_id', 'in', personIds)
      .where('outcome', 'in', outcomes as string[])
      .groupBy('person_id')
      .execute(),

  insertEvent: (db: Executor, row: Insertable<PersonEventsTable>) =>
    db.insertInto('person_events').values(row).execute(),
  events: (db: Executor, personId: string) =>
    db.selectFrom('person_events').selectAll().where('person_id', '=', personId).orderBy('at').orderBy('id').execute(),

  /** Moves everything that belongs to one person record to another (a merge); returns how many of each moved. */
  async moveAll(db: Executor, orgId: string, fromId: string, toId: string) {
    const count = (r: { numUpdatedRows: bigint }[]) => Number(r[0]?.numUpdatedRows ?? 0n);
    const reports = count(
      await db
        .updateTable('reports')
        .set({ person_id: toId })
        .where('person_id', '=', fromId)
        .where('org_id', '=', orgId)
        .execute(),
    );
    const contactPoints = count(
      await db
        .updateTable('contact_points')
        .set({ person_id: toId })
        .where('person_id', '=', fromId)
        .where('org_id', '=', orgId)
        .execute(),
    );
    const attempts = count(
      await db
        .updateTable('contact_attempts')
        .set({ person_id: toId })
        .where('person_id', '=', fromId)
        .where('org_id', '=', orgId)
        .execute(),
    );
    const reachMe = count(
      await db
        .updateTable('reach_me_entries')
        .set({ person_id: toId })
        .where('person_id', '=', fromId)
        .where('org_id', '=', orgId)
        .execute(),
    );
    return { reports, contactPoints, attempts, reachMe };
  },
};
