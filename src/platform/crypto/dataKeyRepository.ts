import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DataKeysTable, DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the data keys, stored wrapped by the master key. */
export const dataKeyRepository = {
  /** Every key, oldest first. */
  all(db: Executor) {
    return db.selectFrom('data_keys').selectAll().orderBy('created_at').execute();
  },
  /** Inserts the key unless it conflicts (another instance created the one active key first). */
  insertUnlessPresent(db: Executor, row: Insertable<DataKeysTable>) {
    return db
      .insertInto('data_keys')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
  retireActive(trx: Transaction<DB>, at: string) {
    return trx.updateTable('data_keys').set({ retired_at: at }).where('retired_at', 'is', null).execute();
  },
  insert(trx: Transaction<DB>, row: Insertable<DataKeysTable>) {
    return trx.insertInto('data_keys').values(row).execute();
  },
  /**
   * Marks a rotated-out key destroyed and blanks its material, only if it was
   * rotated out at or before `rotatedOutBy` and is not destroyed yet; true when it was.
   */
  async destroy(db: Executor, id: string, rotatedOutBy: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('data_keys')
      .set({ destroyed_at: at, wrapped_key: '' })
      .where('id', '=', id)
      .where('retired_at', 'is not', null)
      .where('retired_at', '<=', rotatedOutBy)
      .where('destroyed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  },
  /** The keys without their material, newest first. */
  list(db: Executor) {
    return db
      .selectFrom('data_keys')
      .select(['id', 'created_at', 'retired_at', 'destroyed_at'])
      .orderBy('created_at', 'desc')
      .execute();
  },
};
