import type { Kysely, Transaction } from 'kysely';
import type { ConsentEntriesTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the consent ledger: entries are only ever appended and read, never updated or deleted. */
export const consentRepository = {
  /** A report's entries, oldest first: replayed in this order, the latest entry for each choice wins. */
  entries: (db: Executor, reportId: string) =>
    db
      .selectFrom('consent_entries')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute(),

  insert: (db: Executor, entry: ConsentEntriesTable) => db.insertInto('consent_entries').values(entry).execute(),
};
