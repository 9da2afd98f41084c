import type { Kysely } from 'kysely';

// Training records: which police officers completed the charity's
// training. An officer is a user of a partner force (officer_user_id), or a
// name and email for officers without an account; the email's blind index uses
// the same context as users.email, so a record made before the officer had an
// account still marks them once they have one. Removal keeps the row (with who,
// when and why), so the record stays auditable.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('officer_training')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('support_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('police_org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('officer_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('officer_name_enc', 'text')
    .addColumn('officer_email_enc', 'text')
    .addColumn('officer_email_index', 'text')
    // YYYY-MM-DD
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('module', 'text', (c) => c.notNull())
    .addColumn('trainer_enc', 'text', (c) => c.notNull())
    .addColumn('recorded_by_kind', 'text', (c) => c.notNull())
    .addColumn('recorded_by_id', 'text')
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by_kind', 'text')
    .addColumn('removed_by_id', 'text')
    .addColumn('removed_reason_enc', 'text')
    .execute();
  await db.schema
    .createIndex('officer_training_support_idx')
    .on('officer_training')
    .columns(['support_org_id', 'removed_at', 'completed_on'])
    .execute();
  await db.schema
    .createIndex('officer_training_force_idx')
    .on('officer_training')
    .columns(['police_org_id', 'removed_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('officer_training').execute();
}
