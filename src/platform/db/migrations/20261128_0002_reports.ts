import type { Kysely } from 'kysely';

// Reports from people, their additions and messages, and the consent ledger.
// Columns ending _enc are field-encrypted; incident types, area and dates stay
// readable for the inbox filters and aggregate insight.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_lookup', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_verifier', 'text', (c) => c.notNull())
    .addColumn('idempotency_hash', 'text', (c) => c.unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('incident_types', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text')
    .addColumn('area', 'text')
    .addColumn('account_enc', 'text', (c) => c.notNull())
    .addColumn('details_enc', 'text', (c) => c.notNull())
    .addColumn('contact_enc', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_org_submitted_idx').on('reports').columns(['org_id', 'submitted_at']).execute();

  await db.schema
    .createTable('report_additions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_additions_report_idx')
    .on('report_additions')
    .columns(['report_id', 'added_at'])
    .execute();

  await db.schema
    .createTable('report_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('body_enc', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_messages_report_idx')
    .on('report_messages')
    .columns(['report_id', 'sent_at'])
    .execute();

  // Append-only: the current state of each choice is derived from its latest entry.
  await db.schema
    .createTable('consent_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consent_entries_report_idx')
    .on('consent_entries')
    .columns(['report_id', 'scope', 'recorded_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['consent_entries', 'report_messages', 'report_additions', 'reports'])
    await db.schema.dropTable(table).execute();
}
