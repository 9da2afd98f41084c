import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff, nextTotpStep, signIn, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { breachedPasswordCount, passwordProblem } from './passwordPolicy.ts';

describe('password policy', () => {
  const kerina = { email: 'kerina.mbeki@example.org', names: ['Safe Streets'] };
  it('bundles at least 10,000 breached passwords', () => {
    expect(breachedPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });
  it.each([
    ['short', 'Password must be 12 characters or more'],
    ['x'.repeat(129), 'Password must be 128 characters or fewer'],
    ['password1234', 'too common'],
    ['aaaaaaaaaaaaaa', 'one character repeated'],
    ['kerina.mbeki-at-work-2026', 'must not contain your email'],
    ['x kerina.mbeki@example.org', 'must not contain your email'],
    // Long enough and not in the breached list, but predictable: zxcvbn scores these below 3.
    ['Password123!', 'too easy to guess'],
    ['Password123!!', 'too easy to guess'],
    ['Mbeki1234567', 'too easy to guess'],
    ['SafeStreets2026', 'too easy to guess'],
    ['Welcome12345!', 'too easy to guess'],
  ])('refuses %s', (password, message) => {
    expect(passwordProblem(password, kerina)).toContain(message);
  });
  it('names what makes a weak password weak', () => {
    expect(passwordProblem('Password123!', kerina)).toBe(
      'This password would be too easy to guess. This is similar to a commonly used password. Add another word or two that are not about you, or choose a longer password',
    );
  });
  it('accepts a long unusual passphrase', () => {
    expect(passwordProblem('violet tram umbrella 48', kerina)).toBeUndefined();
    expect(passwordProblem('Tr0ub4dour&3x gravel', kerina)).toBeUndefined();
  });
});

describe.each(testDatabases)('invitations and enrolment on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  async function invite(
    role = 'caseworker',
    email = `new-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`,
  ) {
    const org =
      (await t.services.organisations.list()).find((o) => o.slug === 'support-org') ??
      (await t.services.organisations.create(
        { kind: 'support', name: 'Support', slug: 'support-org' },
        { kind: 'system' },
      ));
    const { link } = await t.services.invitations.invite({ orgId: org.id, role, email, invitedBy: null });
    return { path: new URL(link).pathname, email };
  }

  it('takes a new member of staff from invitation to signed in with two-factor', async () => {
    const { path, email } = await invite();
    const browser = new TestBrowser(t.app);
    expect((await browser.get(path)).body).toContain(email);
    const weak = await browser.post(path, { password: 'password1234', confirm: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('too common');
    // The rule is explained on the page, and a predictable password that passes the length rule is refused with nothing changed.
    expect(weak.body).toContain('predictable ones like <em>Password123!</em>');
    const predictable = await browser.post(path, { password: 'Password123!', confirm: 'Password123!' });
    expect(predictable.statusCode).toBe(400);
    expect(predictable.body).toContain('This password would be too easy to guess');
    const withEmail = await browser.post(path, { password: `my ${email} pass`, confirm: `my ${email} pass` });
    expect(withEmail.body).toContain('must not contain your email address');
    expect(await t.services.accounts.findByEmail(email)).toBeUndefined();
    const mismatch = await browser.post(path, {
      password: 'violet tram umbrella 48',
      confirm: 'violet tram umbrella 49',
    });
    expect(mismatch.body).toContain('do not match');
    const accepted = await browser.post(path, {
      password: 'violet tram umbrella 48',
      confirm: 'violet tram umbrella 48',
    });
    expect(accepted.headers.location).toBe('/account/two-factor');
    // Until two-factor is on, the staff area stays shut.
    expect((await browser.get('/staff')).headers.location).toBe('/sign-in');
    const enrol = await browser.get('/account/two-factor');
    expect(enrol.body).toContain('<svg');
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect((await browser.post('/account/two-factor', { code: '123456' })).statusCode).toBe(400);
    const done = await browser.post('/account/two-factor', { code: await totpNow(t, secret) });
    const codes = [...done.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await browser.get('/staff')).statusCode).toBe(200);
    nextTotpStep(t);
    // The link was single use.
    expect((await new TestBrowser(t.app).get(path)).statusCode).toBe(410);
    // Nothing secret is stored in the clear.
    const dump = JSON.stringify(await t.services.db.selectFrom('users').selectAll().execute());
    expect(dump).not.toContain(email);
    expect(dump).not.toContain(secret);
    expect(JSON.stringify(await t.services.db.selectFrom('recovery_codes').selectAll().execute())).not.toContain(
      codes[0],
    );
  });

  it('expires invitations after 72 hours', async () => {
    const { path } = await invite();
    t.clock.advance(72 * 60 * 60 * 1000 + 1000);
    const res = await new TestBrowser(t.app).get(path);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('expired');
  });

  it('refuses a role that does not exist in that kind of organisation, and existing staff', async () => {
    await expect(invite('officer')).rejects.toThrow('Role must be one of');
    const { email, path } = await invite();
    await new TestBrowser(t.app).get(path);
    const browser = new TestBrowser(t.app);
    await browser.get(path);
    await browser.post(path, { password: 'violet tram umbrella 48', confirm: 'violet tram umbrella 48' });
    await expect(invite('analyst', email)).rejects.toThrow('already has an account');
  });
});

describe.each(testDatabases)('staff administration on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('is for administrators of the organisation only', async () => {
    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/users')).statusCode).toBe(403);
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    const page = await policeAdmin.browser.get('/admin/users');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(caseworker.email);
    const admin = await signedInStaff(t, { role: 'admin' });
    expect((await admin.browser.get('/admin/users')).body).toContain(caseworker.email);
    // Another organisation's staff member cannot be managed by id either.
    await policeAdmin.browser.get(`/account/confirm?next=/admin/users/${caseworker.userId}`);
    await policeAdmin.browser.post('/account/confirm', {
      code: await totpNow(t, policeAdmin.totpSecret),
      next: `/admin/users/${caseworker.userId}`,
    });
    nextTotpStep(t);
    expect((await policeAdmin.browser.get(`/admin/users/${caseworker.userId}`)).statusCode).toBe(404);
  });

  it('invites from the admin page and shows the link once', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    await admin.browser.get('/admin/users');
    const bad = await admin.browser.post('/admin/users/invite', { email: 'not-an-email', role: 'outreach' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('correct format');
    expect(bad.body).toContain('value="not-an-email"');
    const res = await admin.browser.post('/admin/users/invite', {
      email: 'outreach.worker@example.org',
      role: 'outreach',
    });
    expect(res.body).toMatch(/id="invitation-link">http:\/\/127\.0\.0\.1:3000\/invitation\/[A-Za-z0-9_-]{43}</);
    expect((await admin.browser.get('/admin/users')).body).not.toContain('id="invitation-link"');
  });

  it('needs a fresh code to change a role, and records it', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const member = await createStaff(t, { role: 'outreach' });
    t.clock.advance(6 * 60_000);
    const gate = await admin.browser.get(`/admin/users/${member.userId}`);
    expect(gate.headers.location).toBe(`/account/confirm?next=${encodeURIComponent(`/admin/users/${member.userId}`)}`);
    await admin.browser.follow(gate);
    const refused = await admin.browser.post(`/admin/users/${member.userId}/role`, { role: 'caseworker' });
    expect(refused.statusCode).toBe(403);
    const confirmed = await admin.browser.post('/account/confirm', {
      code: await totpNow(t, admin.totpSecret),
      next: `/admin/users/${member.userId}`,
    });
    expect(confirmed.headers.location).toBe(`/admin/users/${member.userId}`);
    nextTotpStep(t);
    await admin.browser.get(`/admin/users/${member.userId}`);
    const changed = await admin.browser.post(`/admin/users/${member.userId}/role`, { role: 'caseworker' });
    expect(changed.statusCode).toBe(303);
    expect((await t.services.accounts.find(member.userId))?.role).toBe('caseworker');
    const entry = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'user.role-changed')
      .where('target_id', '=', member.userId)
      .executeTakeFirst();
    expect(JSON.parse(entry!.detail)).toEqual({ from: 'outreach', to: 'caseworker' });
  });

  it('resets two-factor: the person is signed out and must enrol again', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const member = await signedInStaff(t, { role: 'liaison' });
    await admin.browser.get(`/admin/users/${member.userId}`);
    const res = await admin.browser.post(`/admin/users/${member.userId}/reset-two-factor`, {});
    expect(res.statusCode).toBe(303);
    expect((await member.browser.get('/staff')).headers.location).toBe('/sign-in');
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    const again = await browser.post('/sign-in', { email: member.email, password: member.password });
    expect(again.headers.location).toBe('/account/two-factor');
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select('action')
      .where('target_id', '=', member.userId)
      .execute();
    expect(audit.map((a) => a.action)).toContain('user.two-factor-reset');
  });

  it('disables an account at once', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const member = await signedInStaff(t, { role: 'analyst' });
    await admin.browser.get(`/admin/users/${member.userId}`);
    await admin.browser.post(`/admin/users/${member.userId}/disable`, {});
    expect((await member.browser.get('/staff')).headers.location).toBe('/sign-in');
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    expect((await browser.post('/sign-in', { email: member.email, password: member.password })).statusCode).toBe(400);
    await admin.browser.post(`/admin/users/${member.userId}/enable`, {});
    await signIn(t, new TestBrowser(t.app), member);
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'actor_id'])
      .where('target_id', '=', member.userId)
      .execute();
    expect(audit.filter((a) => a.actor_id === admin.userId).map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.disabled', 'user.enabled']),
    );
  });
});
