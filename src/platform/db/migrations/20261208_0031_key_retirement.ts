import type { Kysely } from 'kysely';

/**
 * A data key's last state. `retired_at` has always meant "rotated out": no
 * longer used for new data, still read. `destroyed_at` marks a key retired for
 * good (`liaison keys retire`), once nothing is encrypted with it any more: its
 * wrapped material is blanked in the same statement, so no instance can decrypt
 * with it again (a copy of the database from before keeps its own keys).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('data_keys').addColumn('destroyed_at', 'timestamptz').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('data_keys').dropColumn('destroyed_at').execute();
}
