import type { Kysely } from 'kysely';

// Police liaison, first slice: which police forces a support organisation works
// with (partnerships), the referrals it sends them, and the police case a
// supervisor opens when accepting one. What police see is encrypted
// (content_enc: the redacted or full record, JSON) as is a decline reason.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partnerships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('support_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('police_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('partnerships_pair_unique', ['support_org_id', 'police_org_id'])
    .execute();
  await db.schema.createIndex('partnerships_police_idx').on('partnerships').column('police_org_id').execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('support_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('police_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // 'intelligence' | 'full'
    .addColumn('level', 'text', (c) => c.notNull())
    // 'new' | 'accepted' | 'declined'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('sent_by_kind', 'text', (c) => c.notNull())
    .addColumn('sent_by_id', 'text')
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by_kind', 'text')
    .addColumn('decided_by_id', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decline_reason_enc', 'text')
    .execute();
  await db.schema.createIndex('referrals_police_idx').on('referrals').columns(['police_org_id', 'sent_at']).execute();
  await db.schema.createIndex('referrals_report_idx').on('referrals').columns(['report_id', 'sent_at']).execute();

  await db.schema
    .createTable('police_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().unique().references('referrals.id'))
    .addColumn('police_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('crime_reference', 'text', (c) => c.notNull())
    // The officer in the case; null when accepted through the API without one.
    .addColumn('officer_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('police_cases_officer_idx')
    .on('police_cases')
    .columns(['police_org_id', 'officer_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('police_cases').execute();
  await db.schema.dropTable('referrals').execute();
  await db.schema.dropTable('partnerships').execute();
}
