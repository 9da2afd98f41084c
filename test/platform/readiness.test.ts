import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest, migrationsAreCurrent } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

describe.each(testDatabases)('readiness and limits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('knows whether migrations are current', async () => {
    const scratch = await createScratchDatabase(kind);
    const database = openDatabase(scratch.target);
    try {
      expect(await migrationsAreCurrent(database.db)).toBe(false);
      expect((await migrateToLatest(database.db)).length).toBeGreaterThan(0);
      expect(await migrationsAreCurrent(database.db)).toBe(true);
      // Migrating again is a no-op.
      expect(await migrateToLatest(database.db)).toEqual([]);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });

  it('refuses bodies over the limit without touching anything', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/feedback',
      payload: `text=${'x'.repeat(300 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('too large');
  });
});

describe('served over https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { PUBLIC_URL: 'https://report.example.org' });
  });
  afterAll(async () => t.close());

  it('sends HSTS and Secure, __Host- cookies', async () => {
    // A page with a form, so the CSRF cookie is set.
    const res = await t.app.inject('/feedback');
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    const csrf = res.cookies.find((c) => c.name === '__Host-csrf');
    expect(csrf?.secure).toBe(true);
    expect(csrf?.httpOnly).toBe(true);
    expect(csrf?.sameSite).toBe('Strict');
    expect(csrf?.path).toBe('/');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });
});

describe('when the database goes away', () => {
  it('is live but not ready', async () => {
    const t = await startTestApp('sqlite');
    await t.services.database.close();
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    await t.close();
  });
});
