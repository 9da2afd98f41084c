import type { Kysely } from 'kysely';

// Triage of reports: who looks after each one, how urgent it is, risk flags,
// and a timestamped history of every change (who, what, when, why).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .execute();
  // JSON array of flag keys, kept readable for the inbox filters.
  await db.schema
    .alterTable('reports')
    .addColumn('risk_flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('reports_org_status_idx')
    .on('reports')
    .columns(['org_id', 'status', 'submitted_at'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON of what changed; a closing reason is free text, so the whole thing is encrypted.
    .addColumn('detail_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_report_idx').on('case_events').columns(['report_id', 'at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_events').execute();
  await db.schema.dropIndex('reports_org_status_idx').execute();
  for (const column of ['risk_flags', 'priority', 'assignee_id'])
    await db.schema.alterTable('reports').dropColumn(column).execute();
}
