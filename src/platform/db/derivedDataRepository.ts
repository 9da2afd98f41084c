import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the list of derived tables still to be filled, and what the fills read across features. */
export const derivedDataRepository = {
  /** The names still to be filled, in name order. */
  pendingNames(db: Executor) {
    return db.selectFrom('derived_data_pending').select('name').orderBy('name').execute();
  },
  /** Crosses the name off the list; how many rows went (0 when another instance crossed it off first). */
  async crossOff(db: Executor, name: string): Promise<number> {
    const result = await db.deleteFrom('derived_data_pending').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
  /** Every report's id, for fills done report by report. */
  reportIds(db: Executor) {
    return db.selectFrom('reports').select('id').execute();
  },
};
