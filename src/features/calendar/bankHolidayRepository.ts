import type { Insertable, Kysely, Transaction } from 'kysely';
import type { BankHolidaysTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the `bank_holidays` table (published days, administrators' one-off days and removals). */
export const bankHolidayRepository = {
  all: (db: Executor) => db.selectFrom('bank_holidays').select(['date', 'title', 'source']).execute(),

  insert: (db: Executor, row: Insertable<BankHolidaysTable>) => db.insertInto('bank_holidays').values(row).execute(),

  /** Forgets an administrator's removal of that day, so it can be a holiday again. */
  deleteCancelled: (db: Executor, date: string) =>
    db.deleteFrom('bank_holidays').where('date', '=', date).where('source', '=', 'cancelled').execute(),

  delete: (db: Executor, date: string) => db.deleteFrom('bank_holidays').where('date', '=', date).execute(),

  /** Keeps a published day as removed, by whom and when. */
  cancel: (db: Executor, date: string, by: { kind: 'user' | 'token'; id: string; at: string }) =>
    db
      .updateTable('bank_holidays')
      .set({ source: 'cancelled', added_by_kind: by.kind, added_by_id: by.id, added_at: by.at })
      .where('date', '=', date)
      .execute(),
};
