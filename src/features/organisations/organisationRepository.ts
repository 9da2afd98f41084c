import type { Kysely, Transaction } from 'kysely';
import type { DB, OrganisationsTable } from '../../platform/db/schema.ts';

export type Organisation = OrganisationsTable;
type Executor = Kysely<DB> | Transaction<DB>;

export const organisationRepository = {
  insert(db: Executor, organisation: Organisation) {
    return db.insertInto('organisations').values(organisation).execute();
  },
  findBySlug(db: Executor, slug: string) {
    return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  },
  findById(db: Executor, id: string) {
    return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  },
  list(db: Executor) {
    return db.selectFrom('organisations').selectAll().orderBy('name').execute();
  },
};
