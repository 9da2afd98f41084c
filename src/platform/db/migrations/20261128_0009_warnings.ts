import type { Kysely } from 'kysely';

// Warnings to others ("ugly mugs" alerts): drafted from reports, published only
// when a second member of staff approves, expiring, withdrawable with a reason.
//
// Everything typed about the perpetrator (title, body, phones, registrations,
// handles, vehicle, description) is encrypted. Matching uses a separate table
// of keyed digests (HMAC blind indexes): a phone number as E.164; a
// registration upper-cased without spaces, with `?` standing for one unknown
// character. Each registration row also keeps its mask ('0' a known position,
// '1' a `?`), which says only where the unknown characters are, so a full
// registration can be checked by digesting it under each mask in use.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // 'draft' | 'published' | 'withdrawn'; expired is published with expires_at in the past.
    .addColumn('status', 'text', (c) => c.notNull())
    // An incident type key (reporting/reportSchema.ts) and one of the organisation's areas.
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('area', 'text')
    .addColumn('title_enc', 'text', (c) => c.notNull())
    .addColumn('body_enc', 'text', (c) => c.notNull())
    // JSON { phones, registrations, handles, vehicle, description }.
    .addColumn('perpetrator_enc', 'text', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('approved_by_kind', 'text')
    .addColumn('approved_by_id', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_by_kind', 'text')
    .addColumn('withdrawn_by_id', 'text')
    .addColumn('withdrawn_reason_enc', 'text')
    .execute();
  await db.schema
    .createIndex('warnings_org_status_idx')
    .on('warnings')
    .columns(['org_id', 'status', 'published_at'])
    .execute();

  await db.schema
    .createTable('warning_reports')
    .addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id'))
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addPrimaryKeyConstraint('warning_reports_pk', ['warning_id', 'report_id'])
    .execute();
  await db.schema.createIndex('warning_reports_report_idx').on('warning_reports').column('report_id').execute();

  await db.schema
    .createTable('warning_identifiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // 'phone' | 'registration'
    .addColumn('kind', 'text', (c) => c.notNull())
    // Registrations only: '0' per known character, '1' per `?` (its length is the registration's).
    .addColumn('mask', 'text')
    .addColumn('lookup', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warning_identifiers_lookup_idx')
    .on('warning_identifiers')
    .columns(['org_id', 'kind', 'lookup'])
    .execute();
  await db.schema
    .createIndex('warning_identifiers_warning_idx')
    .on('warning_identifiers')
    .column('warning_id')
    .execute();

  await db.schema
    .createTable('warning_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('warning_id', 'text', (c) => c.notNull().references('warnings.id'))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // 'drafted' | 'approved' | 'withdrawn'
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON; a withdrawal reason is free text, so the whole thing is encrypted.
    .addColumn('detail_enc', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warning_events_warning_idx')
    .on('warning_events')
    .columns(['warning_id', 'at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('warning_events').execute();
  await db.schema.dropTable('warning_identifiers').execute();
  await db.schema.dropTable('warning_reports').execute();
  await db.schema.dropTable('warnings').execute();
}
