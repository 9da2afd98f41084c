import type { Kysely, Transaction } from 'kysely';
import type { DB, SetupTokensTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const setupRepository = {
  insert(db: Executor, row: SetupTokensTable) {
    return db.insertInto('setup_tokens').values(row).execute();
  },
  /** Inserts unless an unused link exists (unique index, migration 0027); true when inserted. */
  async insertIfNoneUnused(db: Executor, row: SetupTokensTable): Promise<boolean> {
    const result = await db
      .insertInto('setup_tokens')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  },
  findUnused(db: Executor) {
    return db
      .selectFrom('setup_tokens')
      .select(['created_at', 'expires_at'])
      .where('used_at', 'is', null)
      .executeTakeFirst();
  },
  removeExpiredUnused(db: Executor, now: string) {
    return db.deleteFrom('setup_tokens').where('used_at', 'is', null).where('expires_at', '<=', now).execute();
  },
  removeUnused(db: Executor) {
    return db.deleteFrom('setup_tokens').where('used_at', 'is', null).execute();
  },
  findByTokenHash(db: Executor, tokenHash: string) {
    return db.selectFrom('setup_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  },
  async markUsed(db: Executor, id: string, at: string): Promise<boolean> {
    const result = await db
      .updateTable('setup_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
};
