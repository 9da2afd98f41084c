import type { Kysely } from 'kysely';

// Who may join as a member, and stopping a member. Each organisation chooses
// how people join (member_settings.join_mode): 'open' (the code works at once,
// as before), 'approval' (the code works once outreach or a caseworker has
// approved it: members.approved_at) or 'staff' (codes are only issued on
// outreach). Staff can suspend a member (members.suspended_at): the code, any
// member session and the member API stop working at once. Existing members
// were admitted under the open rule, so they count as approved when they joined.
// approved_by and suspended_by name users without a foreign key, so `down` can
// drop them on SQLite (the audit trail is the record of who did it).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').addColumn('approved_at', 'timestamptz').execute();
  await db.schema.alterTable('members').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('members').addColumn('suspended_at', 'timestamptz').execute();
  await db.schema.alterTable('members').addColumn('suspended_by', 'text').execute();
  await db
    .updateTable('members')
    .set((eb) => ({ approved_at: eb.ref('joined_at') }))
    .execute();
  await db.schema
    .alterTable('member_settings')
    .addColumn('join_mode', 'text', (c) => c.notNull().defaultTo('open'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member_settings').dropColumn('join_mode').execute();
  for (const column of ['suspended_by', 'suspended_at', 'approved_by', 'approved_at'])
    await db.schema.alterTable('members').dropColumn(column).execute();
}
