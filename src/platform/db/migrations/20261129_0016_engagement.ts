import type { Kysely } from 'kysely';

// Attrition watch: the person's engagement with the case (the
// charity's report), as an append-only history plus the current status for fast
// lists, and the indexes the at-risk list needs. The risk flags themselves are
// never stored: features/attrition/atRiskRepository.ts computes them when read.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('engagement_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    // 'engaged' | 'wavering' | 'withdrawn'
    .addColumn('status', 'text', (c) => c.notNull())
    // Encrypted JSON array of reason keys (they can say things like substance use).
    .addColumn('reasons_enc', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    // YYYY-MM-DD: when the person's engagement changed (not when it was recorded).
    .addColumn('changed_on', 'text', (c) => c.notNull())
    // 'yes' | 'no' when withdrawn: whether the person wants support to continue; null otherwise.
    .addColumn('wants_support', 'text')
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('engagement_changes_report_idx')
    .on('engagement_changes')
    .columns(['report_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('engagement_current')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('wants_support', 'text')
    .addColumn('changed_on', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('engagement_current_org_idx')
    .on('engagement_current')
    .columns(['org_id', 'status', 'report_id'])
    .execute();

  // The at-risk list: last successful contact per person, retired contact points,
  // recent replies to the person, recently met duties, bail ending soon.
  await db.schema
    .createIndex('contact_attempts_org_person_idx')
    .on('contact_attempts')
    .columns(['org_id', 'person_id', 'outcome', 'at'])
    .execute();
  await db.schema
    .createIndex('contact_points_org_retired_idx')
    .on('contact_points')
    .columns(['org_id', 'retired_at', 'person_id'])
    .execute();
  await db.schema
    .createIndex('report_messages_sender_sent_idx')
    .on('report_messages')
    .columns(['sender', 'sent_at', 'report_id'])
    .execute();
  await db.schema
    .createIndex('duties_support_met_idx')
    .on('duties')
    .columns(['support_org_id', 'met_at', 'case_id'])
    .execute();
  await db.schema
    .createIndex('case_timeline_events_bail_idx')
    .on('case_timeline_events')
    .columns(['bail_end_date', 'case_id'])
    .execute();
  await db.schema.createIndex('police_cases_referral_idx').on('police_cases').column('referral_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('police_cases_referral_idx').execute();
  await db.schema.dropIndex('case_timeline_events_bail_idx').execute();
  await db.schema.dropIndex('duties_support_met_idx').execute();
  await db.schema.dropIndex('report_messages_sender_sent_idx').execute();
  await db.schema.dropIndex('contact_points_org_retired_idx').execute();
  await db.schema.dropIndex('contact_attempts_org_person_idx').execute();
  await db.schema.dropTable('engagement_current').execute();
  await db.schema.dropTable('engagement_changes').execute();
}
