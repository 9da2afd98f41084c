import type { Kysely } from 'kysely';

// The areas a support organisation works in, offered as choices when people
// say where something happened (and later used to filter warnings).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation_areas')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organisation_areas_pk', ['org_id', 'position'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_areas').execute();
}
