import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { pgDump, pgServerMajor, type PgClientTools } from './pgClientTools.ts';
import { sqliteBackup } from './sqliteBackup.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Connections of the PostgreSQL pool (undefined on SQLite, which has one in-process handle). */
  poolStats(): PoolStats | undefined;
  /** Connections the server dropped (terminated, restarted) since start; each was discarded, not fatal. */
  connectionErrors(): number;
  /** Resolves when a trivial query answers within `timeoutMs`; rejects otherwise (pool exhausted, server gone). */
  ping(timeoutMs: number): Promise<void>;
  /**
   * Writes a consistent copy of the whole database into `file` (an existing, empty file) while
   * others go on writing: SQLite's online backup, from a connection of its own in a worker thread;
   * on PostgreSQL, `pg_dump --format=custom` (the client tools must not be older than the server).
   */
  backupTo(file: string, tools: PgClientTools): Promise<void>;
  close(): Promise<void>;
}

export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** PostgreSQL pool size and the server-side timeouts every connection gets (0 = no limit). */
export interface PoolSettings {
  max: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  max: 10,
  connectTimeoutMs: 5000,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 5000,
  idleInTransactionTimeoutMs: 30_000,
};

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

// Timestamps are ISO-8601 strings everywhere in the application. SQLite stores
// them as text; PostgreSQL stores timestamptz and we parse them back to the same
// string form so both databases behave alike. int8 (counts, sums) come back as
// JavaScript numbers rather than strings.
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
pg.types.setTypeParser(TIMESTAMPTZ_OID, (value) => new Date(value).toISOString());
pg.types.setTypeParser(INT8_OID, (value) => Number(value));

export function targetFor(dataDir: string, databaseUrl: string | undefined): DatabaseTarget {
  return databaseUrl
    ? { dialect: 'postgres', url: databaseUrl }
    : { dialect: 'sqlite', file: path.join(dataDir, 'liaison.sqlite') };
}

/**
 * The pool, handing out connections that are known to be alive where it
 * matters: when the server has just dropped an idle connection, its notice
 * can arrive only as the next request sends its first statement on it. That
 * first statement (BEGIN, or a lone query) was then never run, so it is sent
 * again on a fresh connection instead of failing the request. Later
 * statements are never retried: the transaction they belong to is gone.
 */
function freshConnectionsFrom(pool: pg.Pool, maxAttempts: number): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client = await pool.connect();
      let first = true;
      const run = (text: string, parameters: readonly unknown[]) => client.query(text, [...parameters]);
      const query = (textOrCursor: string | object, parameters: readonly unknown[] = []) => {
        // Cursors (streaming) go straight through; this code base does not stream.
        if (typeof textOrCursor !== 'string') return client.query(textOrCursor as pg.Submittable);
        if (!first) return run(textOrCursor, parameters);
        first = false;
        return (async () => {
          // Every idle connection may have been dropped at once: each dead one is
          // discarded in turn, and a newly opened one always answers.
          for (let attempt = 0; ; attempt++) {
            try {
              return await run(textOrCursor, parameters);
            } catch (error) {
              if (!droppedBeforeRunning(error) || attempt > maxAttempts) throw error;
              client.release(error as Error);
              client = await pool.connect();
            }
          }
        })();
      };
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}

/** The connection was already dead (terminated, closed) when the statement was sent. */
function droppedBeforeRunning(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && /^57P0[1-3]$/.test(code)) ||
    /not queryable|Connection terminated unexpectedly/.test(error.message)
  );
}

export class DatabaseTimeoutError extends Error {
  readonly code = 'DATABASE_TIMEOUT';
}

export function openDatabase(target: DatabaseTarget, settings: PoolSettings = DEFAULT_POOL_SETTINGS): Database {
  if (target.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: settings.max,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      // Server-side limits: a lock held elsewhere or a runaway query fails this
      // request within seconds instead of holding a pool connection for ever.
      statement_timeout: settings.statementTimeoutMs || undefined,
      lock_timeout: settings.lockTimeoutMs || undefined,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs || undefined,
    });
    let dropped = 0;
    const discard = () => {
      dropped += 1;
    };
    // A connection the server drops (terminated, restarted, failed over) emits
    // 'error'. Unhandled, that event kills the process. The pool handles it for
    // idle connections; a checked-out one needs its own listener. Its query then
    // rejects (the request answers 503), and on release the pool sees the
    // connection is no longer queryable and discards it, so the next request
    // gets a fresh one.
    pool.on('error', discard);
    pool.on('connect', (client) => client.on('error', discard));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: freshConnectionsFrom(pool, settings.max + 1) }) });
    return {
      db,
      dialect: 'postgres',
      poolStats: () => ({
        max: settings.max,
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }),
      connectionErrors: () => dropped,
      ping: (timeoutMs) => withTimeout(sql`select 1`.execute(db), timeoutMs),
      backupTo: async (file, tools) => pgDump(target.url, file, await pgServerMajor(db), tools),
      close: () => db.destroy(),
    };
  }
  fs.mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(target.file);
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 compiles WAL with synchronous=NORMAL, which can lose the last
  // committed transactions on power loss. A confirmed report must survive that.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted and overwritten content is zeroed in the file, so an erased report does not linger in free space.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    poolStats: () => undefined,
    connectionErrors: () => 0,
    ping: (timeoutMs) => withTimeout(sql`select 1`.execute(db), timeoutMs),
    backupTo: async (file) => {
      await sqliteBackup(target.file, file);
    },
    close: () => db.destroy(),
  };
}

async function withTimeout(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // The query may still finish later; its result (or error) is then ignored.
  work.catch(() => {});
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
