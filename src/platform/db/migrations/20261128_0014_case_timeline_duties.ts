import type { Kysely } from 'kysely';
import { BANK_HOLIDAYS_0014, VICTIMS_CODE_RULES_0014 } from './20261128_0014_seed.ts';

// The police case timeline and the Victims' Code clock: bank holidays (seeded
// with England and Wales 2024–2030), the duty rules as data, timeline events
// and "inform the victim" duties. police_cases (0013) gains enhanced_rights:
// null means "decide from the report's incident types" (police-cases/enhancedRights.ts).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const at = new Date().toISOString();
  await db.schema
    .createTable('bank_holidays')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    // 'bundled' (gov.uk list / standing rules) | 'admin'
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('added_by_kind', 'text')
    .addColumn('added_by_id', 'text')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db
    .insertInto('bank_holidays')
    .values(
      BANK_HOLIDAYS_0014.map((h) => ({
        date: h.date,
        title: h.title,
        source: 'bundled',
        added_by_kind: null,
        added_by_id: null,
        added_at: at,
      })),
    )
    .execute();

  await db.schema
    .createTable('victims_code_rules')
    .addColumn('event_type', 'text', (c) => c.primaryKey())
    // 1 when the victim must be told about this event, else 0.
    .addColumn('must_inform', 'integer', (c) => c.notNull())
    .addColumn('days_enhanced', 'integer')
    .addColumn('days_standard', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db
    .insertInto('victims_code_rules')
    .values(
      VICTIMS_CODE_RULES_0014.map((r) => ({
        event_type: r.eventType,
        must_inform: r.mustInform ? 1 : 0,
        days_enhanced: r.daysEnhanced,
        days_standard: r.daysStandard,
        updated_at: at,
      })),
    )
    .execute();

  await db.schema.alterTable('police_cases').addColumn('enhanced_rights', 'integer').execute();

  await db.schema
    .createTable('case_timeline_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('police_cases.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    // UK calendar date of occurred_at, the day 0 of the clock.
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('bail_end_date', 'text')
    .addColumn('outcome_type', 'integer')
    .addColumn('detail_enc', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_timeline_events_case_idx')
    .on('case_timeline_events')
    .columns(['case_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('duties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().unique().references('case_timeline_events.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('police_cases.id'))
    // The event's type, copied so the duty lists need no join.
    .addColumn('event_type', 'text', (c) => c.notNull())
    // Denormalised from the case so the overdue lists of either side read one index.
    .addColumn('police_org_id', 'text', (c) => c.notNull())
    .addColumn('support_org_id', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // Set when met or recorded as not met: the duty leaves the open lists.
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('met_at', 'timestamptz')
    // UK calendar date of met_at, for the compliance rate (met on or before due_on).
    .addColumn('met_on', 'text')
    // 'mailbox' | 'call' | 'in-person' | 'via-outreach'
    .addColumn('how', 'text')
    .addColumn('note_enc', 'text')
    .addColumn('not_met_reason_enc', 'text')
    .addColumn('resolved_by_kind', 'text')
    .addColumn('resolved_by_id', 'text')
    .execute();
  await db.schema
    .createIndex('duties_police_open_idx')
    .on('duties')
    .columns(['police_org_id', 'resolved_at', 'due_on'])
    .execute();
  await db.schema
    .createIndex('duties_support_open_idx')
    .on('duties')
    .columns(['support_org_id', 'resolved_at', 'due_on'])
    .execute();
  await db.schema
    .createIndex('duties_police_due_idx')
    .on('duties')
    .columns(['police_org_id', 'due_on', 'met_on'])
    .execute();
  await db.schema.createIndex('duties_case_idx').on('duties').columns(['case_id', 'due_on']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duties').execute();
  await db.schema.dropTable('case_timeline_events').execute();
  await db.schema.alterTable('police_cases').dropColumn('enhanced_rights').execute();
  await db.schema.dropTable('victims_code_rules').execute();
  await db.schema.dropTable('bank_holidays').execute();
}
