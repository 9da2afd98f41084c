import type { Kysely, Transaction } from 'kysely';
import type { DB } from './platform/db/schema.ts';
import { migrateToLatest } from './platform/db/migrator.ts';
import { syncAttritionWatch } from './features/attrition/attritionWatch.ts';

/**
 * How to fill each derived table from the data. A migration that creates one
 * names it in `derived_data_pending`; it is filled here by today's code, once
 * every migration has run, because a migration cannot call code that later
 * changes with the schema.
 */
const FILLS: Record<string, (trx: Transaction<DB>) => Promise<void>> = {
  attrition_watch: (trx) => syncAttritionWatch(trx, { all: true }),
};

/** Applies pending migrations, then fills the derived tables they created. Used at start-up and by `liaison migrate`. */
export async function migrateAndFill(db: Kysely<DB>): Promise<{ applied: string[]; filled: string[] }> {
  const applied = await migrateToLatest(db);
  const filled: string[] = [];
  for (const { name } of await db.selectFrom('derived_data_pending').select('name').orderBy('name').execute()) {
    const fill = FILLS[name];
    if (!fill) throw new Error(`No fill is known for the derived table ${name}`);
    await db.transaction().execute(async (trx) => {
      // Crossing it off first means a second instance starting at the same time waits here, then finds nothing to do.
      const claimed = await trx.deleteFrom('derived_data_pending').where('name', '=', name).executeTakeFirst();
      if (Number(claimed.numDeletedRows) === 0) return;
      await fill(trx);
      filled.push(name);
    });
  }
  return { applied, filled };
}
