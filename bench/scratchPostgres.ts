// A throwaway PostgreSQL database for one benchmark run, on the server named by
// BENCH_DATABASE_URL (default: this machine's). Undefined when there is none.
import crypto from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../src/platform/db/database.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function scratchPostgres(): Promise<{ target: DatabaseTarget; drop(): Promise<void> } | undefined> {
  const name = `liaison_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    console.warn(`PostgreSQL not reachable at ${ADMIN_URL} (${(error as Error).message}); measuring SQLite only.`);
    return undefined;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgres', url: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
