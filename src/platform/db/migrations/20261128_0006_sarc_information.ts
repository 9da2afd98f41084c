import type { Kysely } from 'kysely';

// The text a support organisation shows about its local Sexual Assault
// Referral Centre on the "Injuries and help" page of the report form.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('sarc_information', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('sarc_information').execute();
}
