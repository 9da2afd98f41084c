import type { Kysely } from 'kysely';

// Messages between the charity's liaison officer and the officer in the case,
// inside a police case (never part of what the person reporting sees), and
// the police's requests for contact with the victim.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('police_cases.id'))
    // 'police' (the force) | 'support' (the support organisation): which side wrote it.
    .addColumn('side', 'text', (c) => c.notNull())
    // 'user' | 'token', as in casework/actor.ts
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    // The author's organisation.
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_messages_case_idx')
    .on('case_messages')
    .columns(['case_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('case_contact_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('police_cases.id'))
    .addColumn('requested_by_kind', 'text', (c) => c.notNull())
    .addColumn('requested_by_id', 'text')
    .addColumn('reason_enc', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    // What the support organisation's side became: a task for the liaison, maybe a reach-me entry,
    // and the person record made for it when the report had none. The police never read these.
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('reach_me_id', 'text')
    .addColumn('person_id', 'text')
    .addColumn('person_created_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('case_contact_requests_case_idx')
    .on('case_contact_requests')
    .columns(['case_id', 'requested_at'])
    .execute();

  // The police case lists, newest first: a force's (supervisors) and an officer's own.
  await db.schema
    .createIndex('police_cases_force_list_idx')
    .on('police_cases')
    .columns(['police_org_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('police_cases_officer_list_idx')
    .on('police_cases')
    .columns(['officer_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('police_cases_officer_list_idx').execute();
  await db.schema.dropIndex('police_cases_force_list_idx').execute();
  await db.schema.dropTable('case_contact_requests').execute();
  await db.schema.dropTable('case_messages').execute();
}
