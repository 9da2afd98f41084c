import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { DB, ReachMeEntriesTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the reach-me list. Every look-up is scoped by organisation. */
export const reachMeRepository = {
  insert: (db: Executor, row: Insertable<ReachMeEntriesTable>) =>
    db.insertInto('reach_me_entries').values(row).execute(),
  update: (db: Executor, id: string, set: Updateable<ReachMeEntriesTable>) =>
    db.updateTable('reach_me_entries').set(set).where('id', '=', id).execute(),
  /** The person if in the organisation, and who they were merged into, if anyone. */
  person: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('people')
      .select(['id', 'merged_into'])
      .where('id', '=', personId)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  entry: (db: Executor, orgId: string, id: string) =>
    db.selectFrom('reach_me_entries').selectAll().where('id', '=', id).where('org_id', '=', orgId).executeTakeFirst(),
  forPerson: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('reach_me_entries')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .orderBy('added_at', 'desc')
      .orderBy('id')
      .execute(),
  /** Open entries with the person's working name only: nothing else about them is selected. */
  open: (db: Executor, orgId: string) =>
    db
      .selectFrom('reach_me_entries')
      .innerJoin('people', 'people.id', 'reach_me_entries.person_id')
      .select([
        'reach_me_entries.id',
        'reach_me_entries.recognise_enc',
        'reach_me_entries.where_seen_enc',
        'reach_me_entries.message_enc',
        'reach_me_entries.added_at',
        'people.working_name_enc',
      ])
      .where('reach_me_entries.org_id', '=', orgId)
      .where('people.org_id', '=', orgId)
      .where('reach_me_entries.closed_at', 'is', null)
      .orderBy('reach_me_entries.added_at', 'desc')
      .orderBy('reach_me_entries.id')
      .limit(500)
      .execute(),
  /** The latest outreach record on each entry (for "last recorded" on the list). */
  lastSightings: (db: Executor, entryIds: string[]) =>
    entryIds.length
      ? db
          .selectFrom('contact_attempts')
          .select(['reach_me_id', (eb) => eb.fn.max('at').as('last_at')])
          .where('reach_me_id', 'in', entryIds)
          .groupBy('reach_me_id')
          .execute()
      : Promise.resolve([]),
};
