import type { Kysely, Transaction } from 'kysely';
import type { DB, ThrottlesTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const throttleRepository = {
  find(db: Executor, keyHash: string) {
    return db.selectFrom('throttles').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  },
  async save(db: Executor, row: ThrottlesTable) {
    const updated = await db
      .updateTable('throttles')
      .set({ failures: row.failures, window_started_at: row.window_started_at, locked_until: row.locked_until })
      .where('key_hash', '=', row.key_hash)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await db.insertInto('throttles').values(row).execute();
  },
  remove(db: Executor, keyHash: string) {
    return db.deleteFrom('throttles').where('key_hash', '=', keyHash).execute();
  },
};
