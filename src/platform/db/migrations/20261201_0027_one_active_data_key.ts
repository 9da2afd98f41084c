import { sql, type Kysely } from 'kysely';

/**
 * At most one active (unretired) data key. Two instances starting together on
 * a new database could each create a "first" key; with this index the second
 * insert does nothing and that instance loads the first one's key instead.
 * A database that already has two active keys keeps the newest active and
 * retires the others (their ciphertexts stay readable).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function up(db: Kysely<any>): Promise<void> {
  const newest = await db.selectFrom('data_keys').select('id').where('retired_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (newest) {
    await db.updateTable('data_keys').set({ retired_at: new Date().toISOString() }).where('retired_at', 'is', null).where('id', '<>', newest.id).execute();
  }
  await sql`create unique index data_keys_one_active on data_keys ((1)) where retired_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index data_keys_one_active`.execute(db);
}
