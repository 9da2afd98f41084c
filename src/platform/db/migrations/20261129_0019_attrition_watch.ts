import type { Kysely } from 'kysely';

// Attrition watch: one row per open report holding what the at-risk
// list needs, kept in step by the services that change it
// (features/attrition/attritionWatch.ts). Nothing stored depends on the time of
// day: the moments (last successful contact, last update to the person) are
// stored and compared with "now" when the list is read, so rows never go stale
// with the clock. Created empty and named in `derived_data_pending`:
// src/derivedData.ts fills it from the data, after the migrations, and crosses
// it off in the same transaction, so a start that stops half-way fills it again.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attrition_watch')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    // The person's last successful contact attempt; null when there has been none.
    .addColumn('last_contact_at', 'timestamptz')
    // The last successful contact, or the report when there has been none: "no contact since".
    .addColumn('contact_since', 'timestamptz', (c) => c.notNull())
    // The later of the report, the last reply to the person and the last met Victims' Code duty: "no update since".
    .addColumn('updated_since', 'timestamptz', (c) => c.notNull())
    .addColumn('missed_appointment', 'integer', (c) => c.notNull())
    .addColumn('contact_points_retired', 'integer', (c) => c.notNull())
    .addColumn('engagement', 'text')
    .addColumn('wants_support', 'text')
    // The weight of the flags that do not depend on the clock (missed appointment, contact points retired, wavering).
    .addColumn('static_score', 'integer', (c) => c.notNull())
    // 1 when a person is linked (only then can "no successful contact" apply), else 0.
    .addColumn('has_person', 'integer', (c) => c.notNull())
    .execute();
  // The at-risk list walks the rows with no static flag in the list's own order ("longest since
  // contact" first), stopping after a page, and finds the few with one by a short range; the
  // index holds every column the ordering needs, so only the page's rows are read from the table.
  await db.schema
    .createIndex('attrition_watch_order_idx')
    .on('attrition_watch')
    .columns(['org_id', 'static_score', 'has_person', 'contact_since', 'reference', 'updated_since', 'report_id'])
    .execute();
  // Its count subtracts the rows updated recently that carry no flag from all the organisation's
  // rows, read from this index alone (it holds every column that test needs).
  await db.schema
    .createIndex('attrition_watch_updated_idx')
    .on('attrition_watch')
    .columns(['org_id', 'static_score', 'updated_since', 'has_person', 'contact_since', 'report_id'])
    .execute();

  await db.schema
    .createTable('derived_data_pending')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .execute();
  await db.insertInto('derived_data_pending').values({ name: 'attrition_watch' }).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('derived_data_pending').execute();
  await db.schema.dropTable('attrition_watch').execute();
}
