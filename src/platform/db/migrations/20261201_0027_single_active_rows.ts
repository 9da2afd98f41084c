import { sql, type Kysely } from 'kysely';

/**
 * Rows of which only one may be current, now enforced by the database, so
 * several instances starting together cannot make two:
 * - at most one active (unretired) data key. Two instances starting on a new
 *   database could each create a "first" key; now the second insert does
 *   nothing and that instance loads the first one's key. A database that
 *   already has two keeps the newest active and retires the others (their
 *   ciphertexts stay readable).
 * - at most one unused setup link. Each start used to replace the last one, so
 *   only the link printed by the last instance to start worked.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function up(db: Kysely<any>): Promise<void> {
  const newestKey = await db
    .selectFrom('data_keys')
    .select('id')
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newestKey) {
    await db
      .updateTable('data_keys')
      .set({ retired_at: new Date().toISOString() })
      .where('retired_at', 'is', null)
      .where('id', '<>', newestKey.id)
      .execute();
  }
  await sql`create unique index data_keys_one_active on data_keys ((1)) where retired_at is null`.execute(db);

  const newestLink = await db
    .selectFrom('setup_tokens')
    .select('id')
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newestLink)
    await db.deleteFrom('setup_tokens').where('used_at', 'is', null).where('id', '<>', newestLink.id).execute();
  await sql`create unique index setup_tokens_one_unused on setup_tokens ((1)) where used_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index setup_tokens_one_unused`.execute(db);
  await sql`drop index data_keys_one_active`.execute(db);
}
