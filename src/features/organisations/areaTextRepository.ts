import { sql, SqliteAdapter, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;
type AreaTable = 'reports' | 'warnings';

/** SQL for where something happened, as reports and warnings store it. */
export const areaTextRepository = {
  /** Every organisation's configured areas, in no particular order. */
  allConfiguredAreas(db: Executor) {
    return db.selectFrom('organisation_areas').select(['org_id', 'name']).execute();
  },
  rowsWithClearArea(db: Executor, table: AreaTable) {
    return db.selectFrom(table).select(['id', 'org_id', 'area']).where('area', 'is not', null).execute();
  },
  setArea(db: Executor, table: AreaTable, id: string, stored: { area: string | null; area_enc: string | null }) {
    return db.updateTable(table).set(stored).where('id', '=', id).execute();
  },
  /**
   * Rewrites the tables that kept areas, so old values are gone from freed pages (SQLite, and
   * its WAL) and dead row versions (PostgreSQL). Outside any transaction.
   */
  async rewriteAreaTables(db: Kysely<DB>): Promise<void> {
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      await sql`VACUUM`.execute(db);
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    } else {
      await sql`VACUUM FULL reports, warnings`.execute(db);
    }
  },
};
