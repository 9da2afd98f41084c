import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for the Victims' Code compliance figures. */
export const dutyComplianceRepository = {
  /** Per month of the due date ('YYYY-MM'), a force's duties due up to `today` and those met on or before their day. */
  byMonth: (db: Executor, forceOrgId: string, today: string) =>
    db
      .selectFrom('duties')
      .select((eb) => [
        sql<string>`substr(due_on, 1, 7)`.as('month'),
        eb.fn.countAll<number | string>().as('due'),
        sql<number | string>`sum(case when met_on is not null and met_on <= due_on then 1 else 0 end)`.as('met'),
      ])
      .where('police_org_id', '=', forceOrgId)
      .where('due_on', '<=', today)
      .groupBy(sql`substr(due_on, 1, 7)`)
      .orderBy(sql`substr(due_on, 1, 7)`)
      .execute(),
};
