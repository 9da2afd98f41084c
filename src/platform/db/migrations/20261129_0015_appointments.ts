import type { Kysely } from 'kysely';

// Safe-place appointments in a police case: statements, ABE interviews,
// medical or SARC visits and the rest, proposed by the officer or the liaison,
// confirmed with the person by the liaison, and given an outcome. Rows are never
// deleted; a rearranged appointment points at the new one. `outcome = 'missed'`
// is what the attrition watch reads as a risk flag.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('police_cases.id'))
    // Denormalised from the case (referral and force), so either side's lists read one index.
    .addColumn('support_org_id', 'text', (c) => c.notNull())
    .addColumn('police_org_id', 'text', (c) => c.notNull())
    // statement | abe-interview | medical-or-sarc | identification | court-familiarisation | hearing | trial
    .addColumn('kind', 'text', (c) => c.notNull())
    // charity-premises | sarc | home | other-agency | police-station | court | other
    .addColumn('venue_kind', 'text', (c) => c.notNull())
    .addColumn('venue_enc', 'text')
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    // UK calendar date of starts_at (the reminder counts working days back from it).
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('attendees_enc', 'text')
    // Needs: interpreter (1/0) and language, interviewer gender preference, special measures (JSON array) and a note.
    .addColumn('interpreter', 'integer', (c) => c.notNull())
    .addColumn('interpreter_language_enc', 'text')
    // no-preference | female | male
    .addColumn('interviewer_gender', 'text', (c) => c.notNull())
    .addColumn('special_measures', 'text', (c) => c.notNull())
    .addColumn('special_measures_note_enc', 'text')
    // Which side proposed it: 'police' | 'support'; who, as 'user' | 'token' and an id.
    .addColumn('proposed_side', 'text', (c) => c.notNull())
    .addColumn('proposed_by_kind', 'text', (c) => c.notNull())
    .addColumn('proposed_by_id', 'text')
    .addColumn('proposed_at', 'timestamptz', (c) => c.notNull())
    // Confirmed with the person by the liaison: how ('mailbox' | 'call' | 'in-person' | 'via-outreach').
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_how', 'text')
    .addColumn('confirmed_by_kind', 'text')
    .addColumn('confirmed_by_id', 'text')
    .addColumn('confirmed_note_enc', 'text')
    // The reminder task (case_tasks) made on confirmation, if one was.
    .addColumn('reminder_task_id', 'text')
    // attended | missed | rearranged | cancelled-by-police; null while open.
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'timestamptz')
    .addColumn('outcome_by_kind', 'text')
    .addColumn('outcome_by_id', 'text')
    .addColumn('outcome_note_enc', 'text')
    // A rearranged appointment names the new one, and the new one names where it came from.
    .addColumn('rearranged_to_id', 'text')
    .addColumn('rearranged_from_id', 'text')
    .execute();
  // A case's appointments in time order (both pages and the API).
  await db.schema.createIndex('appointments_case_idx').on('appointments').columns(['case_id', 'starts_at']).execute();
  // The attrition watch: missed appointments of a support organisation's cases.
  await db.schema
    .createIndex('appointments_support_outcome_idx')
    .on('appointments')
    .columns(['support_org_id', 'outcome', 'case_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('appointments_support_outcome_idx').execute();
  await db.schema.dropIndex('appointments_case_idx').execute();
  await db.schema.dropTable('appointments').execute();
}
