import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { ACCOUNT_POLICY } from '../throttling/throttle.ts';
import { UNTRUSTED_ACCOUNT_POLICY } from './signInService.ts';

describe.each(testDatabases)('nobody can lock a member of staff out, on %s', (kind) => {
  let t: TestApp;
  let n = 0;
  const address = () => {
    n += 1;
    return `203.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  /** Password then code through the real pages; the location after the code, or the failed step's status. */
  async function signInFrom(
    browser: TestBrowser,
    who: { email: string; password: string; totpSecret: string },
  ): Promise<string | number> {
    await browser.get('/sign-in');
    const afterPassword = await browser.post('/sign-in', { email: who.email, password: who.password });
    if (afterPassword.statusCode !== 303) return afterPassword.statusCode;
    await browser.get('/sign-in/code');
    const afterCode = await browser.post('/sign-in/code', { code: await totpNow(who.totpSecret) });
    return afterCode.statusCode === 303 ? String(afterCode.headers.location) : afterCode.statusCode;
  }

  async function wrongPasswords(email: string, times: number, from: () => string) {
    for (let i = 0; i < times; i += 1) {
      const browser = new TestBrowser(t.app, from());
      await browser.get('/sign-in');
      expect((await browser.post('/sign-in', { email, password: `not it ${i}` })).statusCode).toBe(400);
    }
  }

  it('keeps a browser the person signed in on working while wrong passwords pour in from everywhere', async () => {
    const staff = await createStaff(t, { role: 'caseworker' });
    const own = new TestBrowser(t.app, address());
    expect(await signInFrom(own, staff)).toBe('/staff');
    const device = own.cookie('device');
    expect(device).toBeDefined();
    // The probe's attack and far more: wrong passwords from many addresses.
    await wrongPasswords(staff.email, UNTRUSTED_ACCOUNT_POLICY.maxFailures + 5, address);
    // A browser that never signed in is now refused, even with the right password...
    expect(await signInFrom(new TestBrowser(t.app, address()), staff)).toBe(400);
    // ...but the person's own browser signs in with the right password.
    expect(await signInFrom(own, staff)).toBe('/staff');
    expect(own.cookie('device')).toBe(device);
  }, 120_000);

  it('locks an account at one address after five wrong passwords there, not everywhere', async () => {
    const staff = await createStaff(t, { role: 'outreach' });
    const guesser = address();
    await wrongPasswords(staff.email, ACCOUNT_POLICY.maxFailures, () => guesser);
    expect(await signInFrom(new TestBrowser(t.app, guesser), staff)).toBe(400);
    expect(await signInFrom(new TestBrowser(t.app, address()), staff)).toBe('/staff');
    const lockouts = await t.services.db
      .selectFrom('audit_entries')
      .select('detail')
      .where('action', '=', 'auth.locked-out')
      .where('target_id', '=', staff.userId)
      .execute();
    expect(lockouts.map((l) => JSON.parse(l.detail).scope)).toEqual(['account-at-address']);
  }, 120_000);

  it('counts failures from a trusted browser against that browser only, and stops trusting it after ten', async () => {
    const staff = await createStaff(t, { role: 'liaison' });
    const own = new TestBrowser(t.app, address());
    expect(await signInFrom(own, staff)).toBe('/staff');
    for (let i = 0; i < 10; i += 1) {
      await own.get('/sign-in');
      expect((await own.post('/sign-in', { email: staff.email, password: `typo ${i}` })).statusCode).toBe(400);
    }
    // None of those counted against the account, here or anywhere else...
    expect(await t.services.throttle.isLocked(t.services.throttle.keyFor('account', staff.userId))).toBe(false);
    // ...but that browser is no longer trusted for now: five more wrong there lock it like any other.
    for (let i = 0; i < ACCOUNT_POLICY.maxFailures; i += 1) {
      await own.get('/sign-in');
      await own.post('/sign-in', { email: staff.email, password: `again ${i}` });
    }
    expect(await signInFrom(own, staff)).toBe(400);
    expect(await signInFrom(new TestBrowser(t.app, address()), staff)).toBe('/staff');
  }, 120_000);

  it('tells the person after signing in how many attempts failed and when, until they dismiss it', async () => {
    const staff = await signedInStaff(t, { role: 'caseworker' });
    const first = t.clock.now().toISOString();
    await wrongPasswords(staff.email, 3, address);
    const again = new TestBrowser(t.app, address());
    expect(await signInFrom(again, staff)).toBe('/staff');
    const home = await again.get('/staff');
    expect(home.body).toContain(
      `There were 3 failed attempts to sign in to your account, between ${first.slice(11, 16)} UTC on ${first.slice(0, 10)} and`,
    );
    const seen = await again.post('/account/sign-in-attempts/seen', {});
    expect(seen.headers.location).toBe('/staff');
    expect((await again.get('/staff')).body).not.toContain('failed attempt');
    await wrongPasswords(staff.email, 1, address);
    expect((await again.get('/staff')).body).toContain('There was 1 failed attempt to sign in to your account, at ');
  }, 120_000);

  it('lets administrators see and lift one person’s locks, audited, and only in their organisation', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'locks-org' });
    const staff = await createStaff(t, { role: 'caseworker', orgSlug: 'locks-org' });
    const other = await signedInStaff(t, { role: 'admin', orgSlug: 'other-org' });
    await wrongPasswords(staff.email, UNTRUSTED_ACCOUNT_POLICY.maxFailures, address);
    const newDevice = new TestBrowser(t.app, address());
    expect(await signInFrom(newDevice, staff)).toBe(400);
    const page = await admin.browser.get('/admin/sign-in-locks');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(staff.email);
    expect(page.body).toContain('For new browsers');
    expect((await other.browser.get('/admin/sign-in-locks')).body).not.toContain(staff.email);
    await other.browser.get('/admin/sign-in-locks');
    expect((await other.browser.post(`/admin/sign-in-locks/${staff.userId}/clear`, {})).statusCode).toBe(404);
    expect(
      (await admin.browser.post(`/admin/sign-in-locks/${staff.userId}/clear`, {}, page.body)).headers.location,
    ).toBe('/admin/sign-in-locks');
    expect((await admin.browser.get('/admin/sign-in-locks')).body).toContain(
      'No account in your organisation is locked now',
    );
    expect(await signInFrom(newDevice, staff)).toBe('/staff');
    const cleared = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'auth.locks-cleared')
      .execute();
    expect(cleared.map((c) => [c.actor_id, c.target_id])).toEqual([[admin.userId, staff.userId]]);
    // Staff who are not administrators cannot see the page.
    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'locks-org' });
    expect((await caseworker.browser.get('/admin/sign-in-locks')).statusCode).toBe(403);
  }, 120_000);
});
