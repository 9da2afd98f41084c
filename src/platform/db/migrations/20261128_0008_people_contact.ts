import type { Kysely } from 'kysely';

// People and resilient contact: person records that several reports link to,
// their contact points (never deleted: retired with a reason), the log of
// contact attempts, the person's own history (merges, points added, retired),
// and the outreach "reach me" list.
//
// Every name, contact value, rule and free-text field is encrypted (`_enc`);
// the working name also has a blind index for exact look-ups.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('working_name_enc', 'text', (c) => c.notNull())
    .addColumn('working_name_index', 'text', (c) => c.notNull())
    // JSON arrays of strings, encrypted.
    .addColumn('other_names_enc', 'text', (c) => c.notNull())
    .addColumn('languages_enc', 'text', (c) => c.notNull())
    .addColumn('interpreter_enc', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text', (c) => c.notNull())
    .addColumn('created_by_kind', 'text', (c) => c.notNull())
    .addColumn('created_by_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // A merged record is kept, pointing at the record it was merged into.
    .addColumn('merged_into', 'text')
    .addColumn('merged_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('people_org_name_idx').on('people').columns(['org_id', 'working_name_index']).execute();
  await db.schema.createIndex('people_org_created_idx').on('people').columns(['org_id', 'created_at']).execute();

  await db.schema.alterTable('reports').addColumn('person_id', 'text').execute();
  await db.schema.createIndex('reports_person_idx').on('reports').column('person_id').execute();

  await db.schema
    .createTable('contact_points')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_enc', 'text', (c) => c.notNull())
    // 'yes' | 'no'
    .addColumn('safe_message', 'text', (c) => c.notNull())
    .addColumn('safe_times_enc', 'text')
    .addColumn('code_word_enc', 'text')
    // 'staff' | 'outreach' | 'api': an outreach-given number is unconfirmed until a caseworker confirms it.
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('added_by_kind', 'text', (c) => c.notNull())
    .addColumn('added_by_id', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_confirmed_at', 'timestamptz')
    .addColumn('retired_at', 'timestamptz')
    .addColumn('retired_reason', 'text')
    .execute();
  await db.schema
    .createIndex('contact_points_person_idx')
    .on('contact_points')
    .columns(['person_id', 'added_at'])
    .execute();

  await db.schema
    .createTable('reach_me_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('recognise_enc', 'text')
    .addColumn('where_seen_enc', 'text', (c) => c.notNull())
    .addColumn('message_enc', 'text', (c) => c.notNull())
    .addColumn('added_by_kind', 'text', (c) => c.notNull())
    .addColumn('added_by_id', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by_kind', 'text')
    .addColumn('closed_by_id', 'text')
    .execute();
  await db.schema
    .createIndex('reach_me_org_open_idx')
    .on('reach_me_entries')
    .columns(['org_id', 'closed_at', 'added_at'])
    .execute();
  await db.schema.createIndex('reach_me_person_idx').on('reach_me_entries').column('person_id').execute();

  await db.schema
    .createTable('contact_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('contact_point_id', 'text')
    .addColumn('reach_me_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_attempts_person_idx')
    .on('contact_attempts')
    .columns(['person_id', 'at'])
    .execute();

  await db.schema
    .createTable('person_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON of ids and fixed words only, encrypted all the same.
    .addColumn('detail_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_events_person_idx').on('person_events').columns(['person_id', 'at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_events').execute();
  await db.schema.dropTable('contact_attempts').execute();
  await db.schema.dropTable('reach_me_entries').execute();
  await db.schema.dropTable('contact_points').execute();
  await db.schema.dropIndex('reports_person_idx').execute();
  await db.schema.alterTable('reports').dropColumn('person_id').execute();
  await db.schema.dropTable('people').execute();
}
