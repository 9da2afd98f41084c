import type { Kysely } from 'kysely';

// Administrators manage staff but do not read case content, unless they also
// work cases: in a small charity the administrator is often a caseworker too.
// This is that second, working role ('caseworker' or 'liaison'), or null.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('casework_role', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('casework_role').execute();
}
