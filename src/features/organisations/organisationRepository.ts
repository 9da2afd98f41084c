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
  areas(db: Executor, orgId: string) {
    return db.selectFrom('organisation_areas').select('name').where('org_id', '=', orgId).orderBy('position').execute();
  },
  async replaceAreas(db: Executor, orgId: string, names: string[]) {
    await db.deleteFrom('organisation_areas').where('org_id', '=', orgId).execute();
    if (names.length)
      await db
        .insertInto('organisation_areas')
        .values(names.map((name, position) => ({ org_id: orgId, position, name })))
        .execute();
  },
  setSarcInformation(db: Executor, orgId: string, text: string | null) {
    return db.updateTable('organisations').set({ sarc_information: text }).where('id', '=', orgId).execute();
  },
  list(db: Executor) {
    return db.selectFrom('organisations').selectAll().orderBy('name').execute();
  },
};
