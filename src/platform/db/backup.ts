import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database, type DatabaseTarget, type Dialect } from './database.ts';
import { BackupError, pgDumpTables, pgRestore, pgServerMajor, type PgClientTools } from './pgClientTools.ts';
import type { DB } from './schema.ts';

export { BackupError, type PgClientTools };

/** What a backup file is: a SQLite database, or a PostgreSQL custom-format dump. */
export type BackupFormat = 'sqlite' | 'pgdump';

export const BACKUP_FORMAT: Record<Dialect, BackupFormat> = { sqlite: 'sqlite', postgres: 'pgdump' };

/**
 * Tables the migrations fill by themselves (their bookkeeping and reference
 * data): rows there do not make a database "not empty". Anything a person or
 * a server puts in lands elsewhere too (at least data keys or audit entries).
 */
const SEEDED_BY_MIGRATIONS = new Set([
  'kysely_migration',
  'kysely_migration_lock',
  'derived_data_pending',
  'audit_head',
  'bank_holidays',
  'victims_code_rules',
]);

/** "1.4 MB" for people reading a terminal or /admin/jobs. */
export function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A temporary name beside `file`, so the final rename stays on one file system. */
function partialName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.partial`);
}

/**
 * Backs the database up into `file`: written under a temporary name (mode
 * 0600) and renamed into place only once whole, so `file` is never half a
 * backup, whatever stops the process.
 */
export async function writeBackup(
  database: Database,
  file: string,
  tools: PgClientTools,
): Promise<{ file: string; bytes: number; ms: number }> {
  const started = performance.now();
  const out = path.resolve(file);
  const folder = path.dirname(out);
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new BackupError(`The folder ${folder} does not exist.`, 'backup-dir-missing');
  if (fs.statSync(out, { throwIfNoEntry: false })?.isDirectory())
    throw new BackupError(`${out} is a folder: give the name of the file to write.`);
  const partial = partialName(out);
  fs.closeSync(fs.openSync(partial, 'wx', 0o600));
  try {
    await database.backupTo(partial, tools);
    fs.chmodSync(partial, 0o600);
    syncFile(partial);
    fs.renameSync(partial, out);
    syncFile(folder);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file: out, bytes: fs.statSync(out).size, ms: performance.now() - started };
}

/** What the first bytes of a file say it is. */
export function backupFormatOf(file: string): BackupFormat | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const read = fs.readSync(fd, head, 0, 16, 0);
    if (read === 16 && head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
    if (read >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pgdump';
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The tables that hold rows, other than those the migrations fill by themselves. */
export async function tablesWithRows(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  const untyped = db as unknown as Kysely<unknown>;
  const tables =
    dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(untyped)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
          untyped,
        );
  const withRows: string[] = [];
  for (const { name } of tables.rows) {
    if (SEEDED_BY_MIGRATIONS.has(name)) continue;
    const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(name)} limit 1`.execute(untyped);
    if (rows.length) withRows.push(name);
  }
  return withRows.sort();
}

export interface RestoreOutcome {
  format: BackupFormat;
  bytes: number;
  /** Tables that held rows before (only with `force`). */
  replaced: string[];
}

export interface RestoreOptions {
  /** Replace a database that holds data; refused otherwise. */
  force: boolean;
  /**
   * Runs on the restored SQLite copy before it takes the database's place (the
   * master key opens its data keys); throwing leaves the data directory as it was.
   */
  checkCopy?: (db: Kysely<DB>) => Promise<void>;
}

function refuseNonEmpty(where: string, tables: string[]): never {
  throw new BackupError(
    `${where} is not empty: ${tables.join(', ')} hold rows. Nothing was changed. Restore into an empty data directory or database, or add --force to replace everything in it with the backup (stop every server using it first).`,
    'restore-target-not-empty',
  );
}

/**
 * Puts a backup in the place of the database `target` names, which must be
 * empty unless `force`. The caller then migrates, rebuilds the derived tables
 * and verifies the audit trail.
 */
export async function restoreBackup(
  target: DatabaseTarget,
  from: string,
  tools: PgClientTools,
  options: RestoreOptions,
): Promise<RestoreOutcome> {
  const source = path.resolve(from);
  if (!fs.statSync(source, { throwIfNoEntry: false })?.isFile())
    throw new BackupError(`There is no backup file at ${source}.`, 'backup-missing');
  const format = backupFormatOf(source);
  const wanted = BACKUP_FORMAT[target.dialect];
  if (format !== wanted)
    throw new BackupError(
      format
        ? `${source} is a ${format === 'sqlite' ? 'SQLite backup' : 'PostgreSQL dump'}, but this configuration uses ${target.dialect === 'sqlite' ? 'SQLite (no DATABASE_URL)' : 'PostgreSQL (DATABASE_URL)'}. Restore it with the configuration it was taken with.`
        : `${source} is neither a SQLite backup nor a PostgreSQL custom-format dump made by liaison backup.`,
      'backup-wrong-format',
    );
  const bytes = fs.statSync(source).size;
  const replaced =
    target.dialect === 'sqlite'
      ? await restoreSqlite(target.file, source, options)
      : await restorePostgres(target.url, source, tools, options);
  return { format, bytes, replaced };
}

async function restoreSqlite(file: string, source: string, options: RestoreOptions): Promise<string[]> {
  let replaced: string[] = [];
  if (fs.existsSync(file)) {
    try {
      const existing = openDatabase({ dialect: 'sqlite', file });
      try {
        replaced = await tablesWithRows(existing.db, 'sqlite');
      } finally {
        // The last connection to close folds the WAL into the file and removes it.
        await existing.close();
      }
    } catch (error) {
      // A damaged database is what a restore is often for, but only when asked.
      if (!options.force)
        throw new BackupError(
          `The database ${file} cannot be read (${(error as Error).message}). Nothing was changed. Add --force to replace it with the backup.`,
          'restore-target-unreadable',
        );
      replaced = ['(unreadable database)'];
    }
    if (replaced.length && !options.force) refuseNonEmpty(`The database ${file}`, replaced);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const copy = partialName(file);
  try {
    await pipeline(fs.createReadStream(source), fs.createWriteStream(copy, { flags: 'wx', mode: 0o600 }));
    checkSqliteCopy(copy);
    if (options.checkCopy) {
      const candidate = openDatabase({ dialect: 'sqlite', file: copy });
      try {
        await options.checkCopy(candidate.db);
      } finally {
        await candidate.close();
      }
    }
    syncFile(copy);
    // A WAL or shared-memory file left beside the old database would be read as part of the new one.
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    fs.renameSync(copy, file);
    syncFile(path.dirname(file));
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${copy}${suffix}`, { force: true });
  }
  return replaced;
}

/** The copy is a whole SQLite database that Liaison made (its pages check out, its migrations table is there). */
function checkSqliteCopy(copy: string): void {
  const db = new SqliteDatabase(copy, { fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new BackupError(`The backup is damaged (SQLite says: ${String(check)}).`, 'backup-damaged');
    const known = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!known)
      throw new BackupError('The file is a SQLite database, but not one of this service.', 'backup-wrong-format');
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `The backup cannot be read as a SQLite database: ${(error as Error).message}`,
      'backup-damaged',
    );
  } finally {
    db.close();
  }
}

async function restorePostgres(
  url: string,
  source: string,
  tools: PgClientTools,
  options: RestoreOptions,
): Promise<string[]> {
  // Also refuses a file pg_restore cannot read, before anything changes.
  const inDump = new Set(await pgDumpTables(source, tools));
  if (!inDump.has('kysely_migration'))
    throw new BackupError(
      'The dump is not one of this service (it has no kysely_migration table).',
      'backup-wrong-format',
    );
  const target = openDatabase({ dialect: 'postgres', url });
  let replaced: string[];
  let serverMajor: number;
  try {
    const { db } = target;
    const untyped = db as unknown as Kysely<unknown>;
    serverMajor = await pgServerMajor(untyped);
    const { rows } = await sql<{
      others: number;
    }>`select count(*)::int as others from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(
      untyped,
    );
    const others = rows[0]?.others ?? 0;
    if (others > 0)
      throw new BackupError(
        `${others} other connection${others === 1 ? ' is' : 's are'} open to the database: stop every server and worker using it, then restore. Nothing was changed.`,
        'restore-target-in-use',
      );
    replaced = await tablesWithRows(db, 'postgres');
    if (replaced.length && !options.force) refuseNonEmpty('The database', replaced);
    // Tables the dump does not have would survive the restore and trip the migrations that create them.
    const { rows: tables } = await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
      untyped,
    );
    const unknown = tables.map((t) => t.name).filter((name) => !inDump.has(name));
    if (unknown.length)
      throw new BackupError(
        `The database has tables the backup does not (${unknown.sort().join(', ')}): it was made by a newer version than the backup. Restore into a new, empty database instead. Nothing was changed.`,
        'restore-target-newer',
      );
  } finally {
    await target.close();
  }
  await pgRestore(url, source, serverMajor, tools);
  return replaced;
}
