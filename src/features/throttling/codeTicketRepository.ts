import type { Kysely, Transaction } from 'kysely';
import type { CodeTicketsTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Tickets for code entry under a guessing spike (codeGuard.ts). Addresses appear only as keyed hashes. */
export const codeTicketRepository = {
  find(db: Executor, id: string) {
    return db.selectFrom('code_tickets').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The address's newest ticket not yet spent or expired: reloading the page shows the same one. */
  live(db: Executor, addressKey: string, now: string) {
    return db
      .selectFrom('code_tickets')
      .selectAll()
      .where('address_key', '=', addressKey)
      .where('expires_at', '>', now)
      .where('spent_at', 'is', null)
      .orderBy('not_before', 'desc')
      .limit(1)
      .executeTakeFirst();
  },
  /** The latest moment any of the address's unexpired tickets (spent or not) becomes usable by waiting. */
  async latestNotBefore(db: Executor, addressKey: string, now: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('code_tickets')
      .select('not_before')
      .where('address_key', '=', addressKey)
      .where('expires_at', '>', now)
      .orderBy('not_before', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.not_before;
  },
  insert(db: Executor, row: CodeTicketsTable) {
    return db.insertInto('code_tickets').values(row).execute();
  },
  /** Spends the ticket once (compare-and-set on spent_at): true for the one request that did. */
  async spend(db: Executor, id: string, now: string): Promise<boolean> {
    const result = await db
      .updateTable('code_tickets')
      .set({ spent_at: now })
      .where('id', '=', id)
      .where('spent_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },
  deleteExpired(db: Executor, now: string) {
    return db.deleteFrom('code_tickets').where('expires_at', '<=', now).execute();
  },
};
