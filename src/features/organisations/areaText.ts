import type { Kysely, Transaction } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { DB } from '../../platform/db/schema.ts';
import { areaTextRepository as repo } from './areaTextRepository.ts';

/** The tables that keep where something happened: reports, and warnings drafted from them. */
export type AreaTable = 'reports' | 'warnings';

export interface StoredArea {
  area: string | null;
  area_enc: string | null;
}

/**
 * Where an attack happened. One of the organisation's configured areas is a
 * choice from a short public list, kept as it is so the inbox and warning lists
 * can filter on it; anything else is someone's own words (a street, a
 * landmark) and is encrypted like the account.
 */
export function storeArea(
  value: string | null | undefined,
  configured: readonly string[],
  cipher: FieldCipher,
  table: AreaTable,
): StoredArea {
  const area = value?.trim() || null;
  if (area === null) return { area: null, area_enc: null };
  if (configured.includes(area)) return { area, area_enc: null };
  return { area: null, area_enc: cipher.encrypt(area, `${table}.area`) };
}

/** The area as it was given, whichever way it is stored. */
export async function readArea(row: StoredArea, cipher: FieldCipher, table: AreaTable): Promise<string | null> {
  if (row.area !== null) return row.area;
  return row.area_enc === null ? null : cipher.decrypt(row.area_enc, `${table}.area`);
}

/**
 * Moves free-text areas stored in clear (before they were encrypted) into
 * `area_enc`, leaving configured areas where they are. Run once after the
 * migration that added the column, by the server as it starts (it needs the
 * key, which migrations never see), and again by `liaison derived rebuild`;
 * a second run finds nothing to move.
 */
export async function encryptFreeTextAreas(trx: Transaction<DB>, cipher: FieldCipher): Promise<number> {
  const configured = new Map<string, string[]>();
  for (const row of await repo.allConfiguredAreas(trx)) {
    configured.set(row.org_id, [...(configured.get(row.org_id) ?? []), row.name]);
  }
  let moved = 0;
  for (const table of ['reports', 'warnings'] as const) {
    const rows = await repo.rowsWithClearArea(trx, table);
    for (const row of rows) {
      const stored = storeArea(row.area, configured.get(row.org_id) ?? [], cipher, table);
      if (stored.area !== null) continue;
      await repo.setArea(trx, table, row.id, stored);
      moved += 1;
    }
  }
  return moved;
}

/**
 * After moving text out of clear columns, the old values still sit in freed
 * pages (SQLite, and its WAL) or dead row versions (PostgreSQL). Rewrites the
 * tables so the clear text is gone from the database files. Outside any
 * transaction; once, after a fill that moved something.
 */
export function scrubFreedText(db: Kysely<DB>): Promise<void> {
  return repo.rewriteAreaTables(db);
}
