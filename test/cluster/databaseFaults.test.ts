import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { isDatabaseUnavailable } from '../../src/platform/db/unavailable.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

const REPORT = { incidentTypes: ['physical-assault'], account: 'He hit me near the arches.' };

describe('database settings and fault classification', () => {
  it('reads the pool size and timeouts from the environment, with defaults', () => {
    expect(loadConfig({}).databasePool).toEqual({
      max: 10,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 15_000,
      lockTimeoutMs: 5000,
      idleInTransactionTimeoutMs: 30_000,
    });
    const set = loadConfig({
      DB_POOL_MAX: '4',
      DB_CONNECT_TIMEOUT_MS: '1000',
      DB_STATEMENT_TIMEOUT_MS: '0',
      DB_LOCK_TIMEOUT_MS: '250',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '9000',
    });
    expect(set.databasePool).toEqual({
      max: 4,
      connectTimeoutMs: 1000,
      statementTimeoutMs: 0,
      lockTimeoutMs: 250,
      idleInTransactionTimeoutMs: 9000,
    });
    expect(() => loadConfig({ DB_POOL_MAX: '0' })).toThrow(/DB_POOL_MAX: must be at least 1/);
    expect(() => loadConfig({ DB_LOCK_TIMEOUT_MS: 'soon' })).toThrow(/DB_LOCK_TIMEOUT_MS/);
  });

  it('tells a lost or timed-out database from a bug', () => {
    const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('canceling statement due to lock timeout', '55P03'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('canceling statement due to statement timeout', '57014'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});

/**
 * Two connections of an operator to the app's database: `client` holds locks;
 * `watcher` looks at and terminates the app's connections (outside the lock
 * holder's transaction, whose view of pg_stat_activity would stay frozen).
 */
async function adminFor(t: TestApp) {
  const name = (await sql<{ name: string }>`select current_database() as name`.execute(t.services.db)).rows[0]!.name;
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const watcher = new pg.Client({ connectionString: url.toString() });
  // The operator's own connections are never the ones terminated; should one be cut all the same,
  // its error must not be an uncaught exception of the test process.
  for (const connection of [client, watcher]) connection.on('error', () => {});
  await client.connect();
  await watcher.connect();
  const pidOf = (connection: pg.Client) => (connection as unknown as { processID: number }).processID;
  return {
    client,
    /** The operator's own backends, left alone by every termination. */
    pids: [pidOf(client), pidOf(watcher)],
    async end() {
      await client.end();
      await watcher.end();
    },
    /** Terminates every connection to the database but this one, as `pg_terminate_backend` by an operator would. */
    async terminateOthers(): Promise<number> {
      const result = await watcher.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and pid <> $2',
        [name, (client as unknown as { processID: number }).processID],
      );
      return result.rowCount ?? 0;
    },
    /** Waits until `n` of the app's connections are blocked waiting for a lock. */
    async waitForLockWaiters(n: number): Promise<void> {
      for (;;) {
        const { rows } = await watcher.query(
          "select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'",
          [name],
        );
        if (rows[0].n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

describe.each(testDatabases.filter((kind) => kind === 'postgres'))('surviving database faults on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof adminFor>>;
  beforeAll(async () => {
    // A long lock timeout, so the requests are still waiting when their connections are cut.
    t = await startTestApp(kind, { DB_LOCK_TIMEOUT_MS: '60000', REPORT_SUBMISSION_LIMIT: '0' });
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    admin = await adminFor(t);
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  const submit = () =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: JSON.stringify(REPORT),
      headers: { 'content-type': 'application/json' },
    });
  const reportCount = async () => (await t.services.db.selectFrom('reports').select('id').execute()).length;

  it('answers 503 when connections die mid-request, keeps running, and serves the next request', async () => {
    const before = await reportCount();
    // Hold the audit chain's lock so every submission is inside its transaction, waiting.
    await admin.client.query('begin');
    await admin.client.query('select * from audit_head for update');
    // inject() is lazy: resolving it is what sends the request.
    const inFlight = Array.from({ length: 4 }, () => Promise.resolve(submit()));
    await admin.waitForLockWaiters(4);
    expect(await admin.terminateOthers()).toBeGreaterThanOrEqual(4);
    const answers = await Promise.all(inFlight);
    await admin.client.query('rollback');

    for (const answer of answers) {
      expect(answer.statusCode, answer.body).toBe(503);
      expect(answer.json().error).toMatchObject({ code: 'unavailable' });
      expect(answer.json().error.message).toContain('technical problem');
      expect(answer.headers['content-security-policy']).toBeDefined();
    }
    // Nothing half-written: the transactions were rolled back.
    expect(await reportCount()).toBe(before);

    // Terminate the (now idle) replacement connections too, again and again: the very next
    // request must not be handed a dead one, even when the server's notice has not arrived yet.
    for (let round = 0; round < 3; round++) {
      await admin.terminateOthers();
      const after = await submit();
      expect(after.statusCode, after.body).toBe(201);
    }
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });

  it('sends the first statement again on a fresh connection when an idle one died unnoticed', async () => {
    await Promise.all(Array.from({ length: 3 }, () => sql`select pg_sleep(0.05)`.execute(t.services.db)));
    const name = (await sql<{ name: string }>`select current_database() as name`.execute(t.services.db)).rows[0]!.name;
    // Terminate from another process while this one's event loop is blocked, and wait until
    // the server has closed them: the pool still holds them as idle, their notice unread.
    execFileSync('psql', [
      process.env.TEST_DATABASE_URL!,
      '-qAtc',
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid() and pid not in (${admin.pids.join(',')})`,
    ]);
    const until = Date.now() + 200;
    while (Date.now() < until) {
      // blocking on purpose
    }
    const answer = await submit();
    expect(answer.statusCode, answer.body).toBe(201);
  });
});

describe.each(testDatabases.filter((kind) => kind === 'postgres'))('database timeouts on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof adminFor>>;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      DB_POOL_MAX: '2',
      DB_LOCK_TIMEOUT_MS: '300',
      DB_CONNECT_TIMEOUT_MS: '300',
      REPORT_SUBMISSION_LIMIT: '0',
    });
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    admin = await adminFor(t);
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });
  afterEach(async () => {
    await admin.client.query('rollback').catch(() => {});
  });

  it('fails a submission stuck behind a held lock with 503 instead of waiting for the lock', async () => {
    await admin.client.query('begin');
    await admin.client.query('select * from audit_head for update');
    // Without a lock timeout this would wait until the lock is released below, after the answer.
    const stuck = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: JSON.stringify(REPORT),
      headers: { 'content-type': 'application/json' },
    });
    expect(stuck.statusCode, stuck.body).toBe(503);
    await admin.client.query('rollback');
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: JSON.stringify(REPORT),
      headers: { 'content-type': 'application/json' },
    });
    expect(after.statusCode, after.body).toBe(201);
  });

  it('says not ready, and shows the technical-problem page, while no connection can be had', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holders: Promise<unknown>[] = [];
    let started = 0;
    for (let i = 0; i < 2; i++) {
      holders.push(
        t.services.db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          started += 1;
          await held;
        }),
      );
    }
    while (started < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'unavailable',
      reason: 'database pool unhealthy',
      pool: { max: 2, total: 2, idle: 0 },
    });

    const page = await t.app.inject('/o/safe-streets/report');
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Sorry, there was a technical problem');
    expect(page.body).toContain('Leave this site');
    expect(page.headers['cache-control']).toBe('no-store');

    release();
    await Promise.all(holders);
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
  });
});
