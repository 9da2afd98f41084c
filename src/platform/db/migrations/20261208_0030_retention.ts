import { sql, type Kysely } from 'kysely';

// Retention and erasure:
// - retention_settings: each support organisation's schedule; an organisation
//   without a row keeps the defaults, so nothing has to be filled in here.
// - reports.erased_at / erased_because: an erased report keeps an anonymous
//   skeleton (dates, types, area, source, status, history) and says when and
//   why it was erased ('retention' or 'request').
// - legal_holds: a caseworker or liaison keeps a report from being erased, with
//   a reason (encrypted); at most one hold in force per report.
// - person_erasures: erasing a person record takes two members of staff: one
//   asks, another confirms; at most one open request per person.
// - members.last_active_at: when a member code last signed in, so accounts left
//   unused can be removed. Members from before this migration count from now,
//   since nobody knows when they were last active.
// - audit_head.trimmed_*: where the audit chain now starts once its oldest
//   entries have been removed under the schedule, with a keyed MAC so the start
//   cannot be moved without the chain key.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('uncontacted_months', 'integer', (c) => c.notNull())
    .addColumn('closed_years', 'integer', (c) => c.notNull())
    .addColumn('member_inactive_months', 'integer', (c) => c.notNull())
    .addColumn('audit_years', 'integer', (c) => c.notNull())
    .addColumn('request_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema.alterTable('reports').addColumn('erased_at', 'timestamptz').execute();
  await db.schema.alterTable('reports').addColumn('erased_because', 'text').execute();
  // Finding what is still to erase walks an organisation's unerased reports by age.
  await sql`create index reports_org_unerased_idx on reports (org_id, submitted_at) where erased_at is null`.execute(
    db,
  );
  await db.schema.createIndex('reporter_sessions_report_idx').on('reporter_sessions').column('report_id').execute();

  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('reason_enc', 'text', (c) => c.notNull())
    .addColumn('placed_by_kind', 'text', (c) => c.notNull())
    .addColumn('placed_by_id', 'text')
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('released_at', 'timestamptz')
    .addColumn('released_by_kind', 'text')
    .addColumn('released_by_id', 'text')
    .execute();
  await sql`create unique index legal_holds_one_in_force on legal_holds (report_id) where released_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('person_erasures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // No foreign key: the person record is deleted when the request is confirmed; this row stays as the record of it.
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('because', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .execute();
  await sql`create unique index person_erasures_one_open on person_erasures (person_id) where confirmed_at is null and cancelled_at is null`.execute(
    db,
  );

  await db.schema.alterTable('members').addColumn('last_active_at', 'timestamptz').execute();
  await db.updateTable('members').set({ last_active_at: new Date().toISOString() }).execute();

  await db.schema
    .alterTable('audit_head')
    .addColumn('trimmed_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('audit_head').addColumn('trimmed_hash', 'text').execute();
  await db.schema.alterTable('audit_head').addColumn('trimmed_mac', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_head').dropColumn('trimmed_mac').execute();
  await db.schema.alterTable('audit_head').dropColumn('trimmed_hash').execute();
  await db.schema.alterTable('audit_head').dropColumn('trimmed_seq').execute();
  await db.schema.alterTable('members').dropColumn('last_active_at').execute();
  await db.schema.dropTable('person_erasures').execute();
  await db.schema.dropTable('legal_holds').execute();
  await sql`drop index reporter_sessions_report_idx`.execute(db);
  await sql`drop index reports_org_unerased_idx`.execute(db);
  await db.schema.alterTable('reports').dropColumn('erased_because').execute();
  await db.schema.alterTable('reports').dropColumn('erased_at').execute();
  await db.schema.dropTable('retention_settings').execute();
}
