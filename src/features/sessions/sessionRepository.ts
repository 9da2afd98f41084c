import type { Kysely, Transaction } from 'kysely';
import type { DB, SessionsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export const sessionRepository = {
  insert(db: Executor, session: SessionsTable) {
    return db.insertInto('sessions').values(session).execute();
  },
  find(db: Executor, idHash: string) {
    return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  },
  touch(db: Executor, idHash: string, lastSeenAt: string) {
    return db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute();
  },
  recordStepUp(db: Executor, idHash: string, at: string) {
    return db.updateTable('sessions').set({ step_up_at: at }).where('id_hash', '=', idHash).execute();
  },
  delete(db: Executor, idHash: string) {
    return db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },
  deleteAllFor(db: Executor, userId: string) {
    return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  /** How many sessions had expired by `now`, deleting them. */
  async deleteExpired(db: Executor, now: string): Promise<number> {
    const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
};
