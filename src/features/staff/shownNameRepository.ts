import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the first name a member of staff shows to people who report (users.shown_name_enc). */
export const shownNameRepository = {
  get: (db: Executor, userId: string) =>
    db.selectFrom('users').select('shown_name_enc').where('id', '=', userId).executeTakeFirst(),
  set: (db: Executor, userId: string, value: string | null) =>
    db.updateTable('users').set({ shown_name_enc: value }).where('id', '=', userId).execute(),
};
