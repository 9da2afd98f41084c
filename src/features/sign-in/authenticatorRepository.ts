import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for resolving who is calling: the staff member behind a session, the API token behind a bearer. */
export const authenticatorRepository = {
  staffWithOrganisation(db: Executor, userId: string) {
    return db
      .selectFrom('users')
      .innerJoin('organisations', 'organisations.id', 'users.org_id')
      .select([
        'users.id',
        'users.role',
        'users.casework_role',
        'users.disabled_at',
        'organisations.id as orgId',
        'organisations.kind',
        'organisations.slug',
        'organisations.name',
      ])
      .where('users.id', '=', userId)
      .executeTakeFirst();
  },
  tokenWithOrganisation(db: Executor, tokenHash: string) {
    return db
      .selectFrom('api_tokens')
      .innerJoin('organisations', 'organisations.id', 'api_tokens.org_id')
      .select([
        'api_tokens.id',
        'api_tokens.role',
        'api_tokens.org_id',
        'api_tokens.revoked_at',
        'api_tokens.last_used_at',
        'organisations.kind',
      ])
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },
  touchToken(db: Executor, id: string, at: string) {
    return db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  },
};
