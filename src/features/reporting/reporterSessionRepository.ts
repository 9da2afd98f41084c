import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, ReporterSessionsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for "Check your report" sessions, found by the hash of their cookie. */
export const reporterSessionRepository = {
  insert: (db: Executor, row: Insertable<ReporterSessionsTable>) =>
    db.insertInto('reporter_sessions').values(row).execute(),

  byIdHash: (db: Executor, idHash: string) =>
    db.selectFrom('reporter_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst(),

  touch: (db: Executor, idHash: string, lastSeenAt: string) =>
    db.updateTable('reporter_sessions').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute(),

  delete: (db: Executor, idHash: string) => db.deleteFrom('reporter_sessions').where('id_hash', '=', idHash).execute(),
};
