import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff, nextTotpStep, signIn, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('staff sign-in on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  const actions = async (action: string) =>
    await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'target_id', 'detail'])
      .where('action', '=', action)
      .execute();

  it('needs the password and then a current code, and gives a fresh session id', async () => {
    const staff = await createStaff(t, { role: 'caseworker' });
    const browser = new TestBrowser(t.app);
    expect((await browser.get('/staff')).headers.location).toBe('/sign-in');
    await browser.get('/sign-in');
    await browser.post('/sign-in', { email: staff.email, password: staff.password });
    const pending = browser.cookie('session');
    // Password alone does not open the staff area.
    expect((await browser.get('/staff')).headers.location).toBe('/sign-in');
    await browser.get('/sign-in/code');
    const res = await browser.post('/sign-in/code', { code: await totpNow(t, staff.totpSecret) });
    expect(res.headers.location).toBe('/staff');
    const cookie = res.cookies.find((c) => c.name === 'session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(browser.cookie('session')).not.toBe(pending);
    expect((await browser.get('/staff')).statusCode).toBe(200);
    expect((await actions('auth.sign-in')).some((a) => a.target_id === staff.userId)).toBe(true);
  });

  it('gives the same message for an unknown account, a wrong password and a wrong code', async () => {
    const staff = await createStaff(t, { role: 'caseworker' });
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    const unknown = await browser.post('/sign-in', { email: 'nobody@example.org', password: 'whatever whatever' });
    const wrongPassword = await browser.post('/sign-in', { email: staff.email, password: 'not the password' });
    expect(unknown.statusCode).toBe(400);
    expect(wrongPassword.statusCode).toBe(400);
    const message = (body: string) => /<a href="#email">([^<]+)<\/a>/.exec(body)?.[1];
    expect(message(unknown.body)).toBe(message(wrongPassword.body));
    // The email typed is kept; the password is not.
    expect(wrongPassword.body).toContain(`value="${staff.email}"`);
    await browser.post('/sign-in', { email: staff.email, password: staff.password });
    await browser.get('/sign-in/code');
    const wrongCode = await browser.post('/sign-in/code', { code: '000000' });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.body).toContain(message(unknown.body));
  });

  it('refuses a code already used (replay) and accepts a recovery code once', async () => {
    const staff = await createStaff(t, { role: 'liaison' });
    const first = new TestBrowser(t.app);
    const code = await totpNow(t, staff.totpSecret);
    await first.get('/sign-in');
    await first.post('/sign-in', { email: staff.email, password: staff.password });
    await first.get('/sign-in/code');
    expect((await first.post('/sign-in/code', { code })).headers.location).toBe('/staff');
    const second = new TestBrowser(t.app);
    await second.get('/sign-in');
    await second.post('/sign-in', { email: staff.email, password: staff.password });
    await second.get('/sign-in/code');
    expect((await second.post('/sign-in/code', { code })).statusCode).toBe(400);
    const recovery = staff.recoveryCodes[0]!;
    expect((await second.post('/sign-in/code', { code: recovery.toUpperCase() })).headers.location).toBe('/staff');
    const third = new TestBrowser(t.app);
    await third.get('/sign-in');
    await third.post('/sign-in', { email: staff.email, password: staff.password });
    await third.get('/sign-in/code');
    expect((await third.post('/sign-in/code', { code: recovery })).statusCode).toBe(400);
  });

  it('locks an account after five failures, even against the right password, and audits it', async () => {
    const staff = await createStaff(t, { role: 'outreach' });
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    for (let i = 0; i < 5; i += 1)
      await browser.post('/sign-in', { email: staff.email, password: `wrong ${i} password` });
    expect((await browser.post('/sign-in', { email: staff.email, password: staff.password })).statusCode).toBe(400);
    const lockouts = await actions('auth.locked-out');
    expect(lockouts.some((a) => a.target_id === staff.userId && a.detail.includes('account'))).toBe(true);
    // After fifteen minutes the right password works again.
    t.clock.advance(15 * 60_000 + 1000);
    await signIn(t, new TestBrowser(t.app), staff);
  });

  it('locks a network address that tries many accounts', async () => {
    const address = '192.0.2.55';
    const post = async (email: string, password: string) => {
      const page = await t.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: address });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return t.app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: address,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
      });
    };
    for (let i = 0; i < 20; i += 1) await post(`spray${i}@example.org`, 'Summer2026!!!');
    const staff = await createStaff(t, { role: 'analyst' });
    expect((await post(staff.email, staff.password)).statusCode).toBe(400);
    const lockouts = await actions('auth.locked-out');
    expect(lockouts.some((a) => a.detail.includes('address'))).toBe(true);
    // The address itself is stored nowhere.
    const rows = JSON.stringify(await t.services.db.selectFrom('throttles').selectAll().execute());
    expect(rows).not.toContain(address);
    t.clock.advance(15 * 60_000 + 1000);
  });

  it('ends sessions after 30 idle minutes and after 12 hours in any case', async () => {
    const staff = await signedInStaff(t, { role: 'caseworker' });
    t.clock.advance(29 * 60_000);
    expect((await staff.browser.get('/staff')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await staff.browser.get('/staff')).headers.location).toBe('/sign-in');

    const busy = await signedInStaff(t, { role: 'caseworker' });
    for (let hour = 0; hour < 12 * 3; hour += 1) {
      t.clock.advance(20 * 60_000);
      const res = await busy.browser.get('/staff');
      if (hour < 12 * 3 - 1) expect(res.statusCode).toBe(200);
      else expect(res.headers.location).toBe('/sign-in');
    }
  });

  it('signs out: deletes the session and clears site data', async () => {
    const staff = await signedInStaff(t, { role: 'caseworker' });
    const cookie = staff.browser.cookie('session')!;
    await staff.browser.get('/staff');
    const res = await staff.browser.post('/sign-out', {});
    expect(res.headers['clear-site-data']).toBe('"cache", "storage"');
    expect(res.cookies.find((c) => c.name === 'session')?.value).toBe('');
    // The device cookie stays, so this browser is still known after signing out.
    expect(staff.browser.cookie('device')).toBeDefined();
    expect(res.headers.location).toBe('/sign-in');
    const replay = await t.app.inject({ url: '/staff', headers: { cookie: `session=${cookie}` } });
    expect(replay.headers.location).toBe('/sign-in');
    expect((await actions('auth.sign-out')).some((a) => a.target_id === staff.userId)).toBe(true);
  });

  it('uses __Host- Secure cookies when served over https', async () => {
    const secure = await startTestApp(kind, { PUBLIC_URL: 'https://liaison.example' });
    try {
      const staff = await createStaff(secure, { role: 'caseworker' });
      const browser = new TestBrowser(secure.app);
      await browser.get('/sign-in');
      const res = await browser.post('/sign-in', { email: staff.email, password: staff.password });
      const cookie = res.cookies.find((c) => c.name === '__Host-session');
      expect(cookie?.secure).toBe(true);
      expect(cookie?.path).toBe('/');
      nextTotpStep(secure);
    } finally {
      await secure.close();
    }
  });
});
