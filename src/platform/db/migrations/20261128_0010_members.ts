import type { Kysely } from 'kysely';

// Members: people who receive the organisation's warnings. A member is known
// by a 16-digit code (kept only as a keyed lookup hash and a slow verifier), a
// working name (encrypted) and, if they want email alerts, an email address
// (encrypted, with a blind index) and the areas they want alerts for (encrypted).
// Member sessions keep only a hash of the cookie. The alert outbox holds one
// email per member and warning until it is sent; the warning text is encrypted.
// Each organisation chooses whether its warnings are public (member_settings).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('email_enc', 'text')
    .addColumn('email_index', 'text')
    .addColumn('alert_areas_enc', 'text')
    .addColumn('code_lookup', 'text', (c) => c.notNull().unique())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.references('users.id'))
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addColumn('alerts_from', 'timestamptz')
    .execute();
  await db.schema.createIndex('members_org_idx').on('members').columns(['org_id', 'joined_at']).execute();
  await db.schema.createIndex('members_alerts_idx').on('members').columns(['org_id', 'alerts_from']).execute();

  await db.schema
    .createTable('member_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_sessions_member_idx').on('member_sessions').column('member_id').execute();

  await db.schema
    .createTable('alert_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('warning_id', 'text', (c) => c.notNull())
    .addColumn('title_enc', 'text', (c) => c.notNull())
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addUniqueConstraint('alert_outbox_member_warning', ['member_id', 'warning_id'])
    .execute();
  await db.schema
    .createIndex('alert_outbox_due_idx')
    .on('alert_outbox')
    .columns(['sent_at', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('member_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('warnings_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_settings').execute();
  await db.schema.dropTable('alert_outbox').execute();
  await db.schema.dropTable('member_sessions').execute();
  await db.schema.dropTable('members').execute();
}
