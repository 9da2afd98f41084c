import { sql, type Kysely } from 'kysely';

// "Check your report" tells the person what is happening with their report:
// - reports.first_read_at: when a member of staff first opened the case (filled
//   from the audit trail's `report.viewed` entries for reports already read);
// - users.shown_name_enc: the first name a member of staff chose to show to the
//   people whose reports they look after (none: "a caseworker");
// - person_updates: words the charity chose to pass on (a Victims' Code duty met
//   "through Check your report"), checked by the liaison before they are shown;
// - person_requests: the person asked the charity to stop working on the report,
//   or to delete it; one of each kind per report, so asking twice changes nothing.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('first_read_at', 'timestamptz').execute();
  await sql`update reports set first_read_at = (select min(a.at) from audit_entries a where a.action = 'report.viewed' and a.target_id = reports.id)`.execute(
    db,
  );
  await db.schema.alterTable('users').addColumn('shown_name_enc', 'text').execute();

  await db.schema
    .createTable('person_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('text_enc', 'text', (c) => c.notNull())
    // The Victims' Code duty this update met, when it came from one.
    .addColumn('duty_id', 'text', (c) => c.references('duties.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_updates_report_idx')
    .on('person_updates')
    .columns(['report_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('person_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // 'stop' (stop working on my report) | 'delete' (delete my report)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_requests_report_kind_idx')
    .on('person_requests')
    .columns(['report_id', 'kind'])
    .unique()
    .execute();
  await db.schema
    .createIndex('person_requests_org_idx')
    .on('person_requests')
    .columns(['org_id', 'kind', 'requested_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('person_requests').execute();
  await db.schema.dropTable('person_updates').execute();
  await db.schema.alterTable('users').dropColumn('shown_name_enc').execute();
  await db.schema.alterTable('reports').dropColumn('first_read_at').execute();
}
