import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const healthRepository = {
  /** Any one derived table a migration left still to be filled. */
  anyDerivedDataPending(db: Executor) {
    return db.selectFrom('derived_data_pending').select('name').limit(1).executeTakeFirst();
  },
};
