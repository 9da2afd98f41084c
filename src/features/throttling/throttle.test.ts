import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { ACCOUNT_POLICY, Throttle } from './throttle.ts';

describe.each(testDatabases)('sign-in throttling on %s', (kind) => {
  let t: TestApp;
  let throttle: Throttle;
  beforeAll(async () => {
    t = await startTestApp(kind);
    throttle = new Throttle(t.services.db, t.services.keys.throttle, t.clock.now);
  });
  afterAll(async () => t.close());

  it('counts parallel failures without losing any, so a burst of guesses still locks the account', async () => {
    const key = throttle.keyFor('account', 'parallel-guesses');
    const locked = await Promise.all(Array.from({ length: 12 }, () => throttle.fail(key, ACCOUNT_POLICY)));
    expect(await throttle.isLocked(key)).toBe(true);
    // Which failure sets the lock depends on interleaving; at least one did, and it is audited once per lock.
    expect(locked.filter(Boolean).length).toBeGreaterThanOrEqual(1);
  });

  it('forgets failures older than the window, and the lock ends after 15 minutes', async () => {
    const key = throttle.keyFor('account', 'slow-guesses');
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    t.clock.advance(15 * 60_000 + 1);
    for (let i = 0; i < 4; i += 1) expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(false);
    expect(await throttle.fail(key, ACCOUNT_POLICY)).toBe(true);
    t.clock.advance(15 * 60_000 - 1000);
    expect(await throttle.isLocked(key)).toBe(true);
    t.clock.advance(2000);
    expect(await throttle.isLocked(key)).toBe(false);
  });

  it('keys counters by a keyed hash: neither the address nor the user id is stored', async () => {
    const staff = await createStaff(t, { role: 'caseworker' });
    const address = '198.51.100.23';
    const page = await t.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: address });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      remoteAddress: address,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      },
      payload: new URLSearchParams({ _csrf: csrf, email: staff.email, password: 'not the right one' }).toString(),
    });
    const rows = await t.services.db.selectFrom('throttles').selectAll().execute();
    expect(rows.map((r) => r.key_hash)).toContain(throttle.keyFor('address', address));
    expect(rows.map((r) => r.key_hash)).toContain(throttle.keyFor('account', staff.userId));
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(address);
    expect(dump).not.toContain(staff.userId);
  });

  it('records failed sign-ins by user id, never by the email typed', async () => {
    const staff = await createStaff(t, { role: 'liaison' });
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    await browser.post('/sign-in', { email: staff.email, password: 'wrong wrong wrong' });
    await browser.post('/sign-in', { email: 'stranger@example.org', password: 'wrong wrong wrong' });
    const failures = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'auth.sign-in-failed')
      .execute();
    expect(failures.some((f) => f.target_id === staff.userId)).toBe(true);
    expect(failures.some((f) => f.target_id === null)).toBe(true);
    const dump = JSON.stringify(await t.services.db.selectFrom('audit_entries').selectAll().execute());
    expect(dump).not.toContain(staff.email);
    expect(dump).not.toContain('stranger@example.org');
    expect(dump).not.toContain('wrong wrong wrong');
  });
});
