import type { Kysely, Transaction } from 'kysely';
import type { ApiTokensTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** What may be shown about a token: everything but its hash. */
const PUBLIC_COLUMNS = ['id', 'org_id', 'role', 'name', 'created_at', 'last_used_at', 'revoked_at'] as const;

export const apiTokenRepository = {
  insert(db: Executor, token: ApiTokensTable) {
    return db.insertInto('api_tokens').values(token).execute();
  },
  listForOrganisation(db: Executor, orgId: string) {
    return db
      .selectFrom('api_tokens')
      .select(PUBLIC_COLUMNS)
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
  findById(db: Executor, id: string) {
    return db.selectFrom('api_tokens').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  },
  /** Marks an active token revoked; returns nothing when it was already revoked or does not exist. */
  revoke(db: Executor, id: string, at: string) {
    return db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'org_id'])
      .executeTakeFirst();
  },
  describe(db: Executor, id: string) {
    return db
      .selectFrom('api_tokens')
      .innerJoin('organisations', 'organisations.id', 'api_tokens.org_id')
      .select([
        'api_tokens.name',
        'api_tokens.role',
        'organisations.id as orgId',
        'organisations.slug',
        'organisations.name as orgName',
        'organisations.kind',
      ])
      .where('api_tokens.id', '=', id)
      .executeTakeFirst();
  },
};
