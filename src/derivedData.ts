import type { Kysely, Transaction } from 'kysely';
import type { DB } from './platform/db/schema.ts';
import { migrateToLatest } from './platform/db/migrator.ts';
import { derivedDataRepository as repo } from './platform/db/derivedDataRepository.ts';
import { syncAttritionWatch } from './features/attrition/attritionWatch.ts';
import { syncReportTags } from './features/casework/reportTags.ts';
import { encryptFreeTextAreas, scrubFreedText } from './features/organisations/areaText.ts';
import type { FieldCipher } from './platform/crypto/fieldCipher.ts';

/**
 * How to fill each derived table (one the services keep in step with others)
 * from the data. A migration that creates one names it in
 * `derived_data_pending`; it is filled here by today's code, once every
 * migration has run, because a migration cannot call code that later changes
 * with the schema. `liaison derived rebuild` refills them all.
 */
const FILLS: Record<string, (trx: Transaction<DB>) => Promise<void>> = {
  attrition_watch: (trx) => syncAttritionWatch(trx, { all: true }),
  report_tags: async (trx) => {
    for (const { id } of await repo.reportIds(trx)) await syncReportTags(trx, id);
  },
};

/**
 * Work a migration leaves for code that needs the field cipher (the key is
 * never given to migrations): done by the server once it has loaded the key
 * (`fillPending(db, cipher)` in composition.ts) and by `liaison derived rebuild`.
 */
const KEYED_FILLS: Record<
  string,
  {
    fill: (trx: Transaction<DB>, cipher: FieldCipher) => Promise<number>;
    afterwards: (db: Kysely<DB>) => Promise<void>;
  }
> = {
  // Free-text areas stored in clear before they were encrypted; then the freed clear text is scrubbed from the files.
  area_text: { fill: encryptFreeTextAreas, afterwards: scrubFreedText },
};

/** Applies pending migrations, then fills the derived tables they created (those that need no key). Used at start-up and by `liaison migrate`. */
export async function migrateAndFill(db: Kysely<DB>): Promise<{ applied: string[]; filled: string[] }> {
  const applied = await migrateToLatest(db);
  return { applied, filled: await fillPending(db) };
}

/**
 * Refills every derived table from the data, each in one transaction (so the
 * lists stay whole while it runs): for after a partial restore or a change made
 * by hand in SQL, which no service saw.
 */
export async function rebuildDerived(db: Kysely<DB>, cipher: FieldCipher): Promise<string[]> {
  for (const [name, fill] of Object.entries(FILLS)) {
    await db.transaction().execute(async (trx) => {
      await fill(trx);
      await repo.crossOff(trx, name);
    });
  }
  for (const [name, keyed] of Object.entries(KEYED_FILLS)) {
    const moved = await db.transaction().execute(async (trx) => {
      await repo.crossOff(trx, name);
      return keyed.fill(trx, cipher);
    });
    if (moved > 0) await keyed.afterwards(db);
  }
  return [...Object.keys(FILLS), ...Object.keys(KEYED_FILLS)];
}

/** Fills what is pending; with the cipher, also the work that needs the key (without it, that is left for later). */
export async function fillPending(db: Kysely<DB>, cipher?: FieldCipher): Promise<string[]> {
  const filled: string[] = [];
  for (const { name } of await repo.pendingNames(db)) {
    const keyed = KEYED_FILLS[name];
    if (keyed && !cipher) continue;
    const fill = keyed && cipher ? (trx: Transaction<DB>) => keyed.fill(trx, cipher) : FILLS[name];
    if (!fill) throw new Error(`No fill is known for the derived table ${name}`);
    let changed = 0;
    await db.transaction().execute(async (trx) => {
      // Crossing it off first means a second instance starting at the same time waits here, then finds nothing to do.
      if ((await repo.crossOff(trx, name)) === 0) return;
      changed = Number((await fill(trx)) ?? 0);
      filled.push(name);
    });
    if (keyed && changed > 0) await keyed.afterwards(db);
  }
  return filled;
}
