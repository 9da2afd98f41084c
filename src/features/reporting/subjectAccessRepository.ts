import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for subject access beyond what Check your report reads already. */
export const subjectAccessRepository = {
  /** The reports linked to a person record in the organisation, oldest first. */
  reportsOfPerson: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('reports')
      .select(['id'])
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .orderBy('submitted_at')
      .orderBy('id')
      .execute(),
};
