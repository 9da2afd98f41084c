import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { InvitationError } from './invitationService.ts';

describe.each(testDatabases)('invitations in detail on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  async function orgOf(kindOfOrg: 'support' | 'police', slug: string) {
    return (
      (await t.services.organisations.list()).find((o) => o.slug === slug) ??
      (await t.services.organisations.create({ kind: kindOfOrg, name: `${slug} name`, slug }, { kind: 'system' }))
    );
  }

  async function invitePath(email: string, role: 'caseworker' | 'officer' = 'caseworker') {
    const org = role === 'officer' ? await orgOf('police', 'police-org') : await orgOf('support', 'support-org');
    const { link, invitationId, expiresAt } = await t.services.invitations.invite({
      orgId: org.id,
      role,
      email,
      invitedBy: null,
    });
    return { path: new URL(link).pathname, invitationId, expiresAt, orgId: org.id };
  }

  it('refuses short, long and breached passwords with a specific message each, and never echoes them', async () => {
    const email = 'rosa.marsh@example.org';
    const { path } = await invitePath(email);
    const browser = new TestBrowser(t.app);
    await browser.get(path);
    const cases: [string, string][] = [
      ['tooShort12', 'Password must be 12 characters or more'],
      ['a1'.repeat(65), 'Password must be 128 characters or fewer'],
      ['qwerty123456', 'too common and appears in lists of stolen passwords'],
      ['LeaveMeAlone', 'too common'],
      ['rosa.marsh is my name', 'must not contain your email address'],
    ];
    for (const [password, message] of cases) {
      const res = await browser.post(path, { password, confirm: password });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain('href="#password"');
      expect(res.body).not.toContain(password);
      // The page is still the same invitation, for the same person.
      expect(res.body).toContain(email);
    }
    // Nothing was created and the link still works.
    expect(await t.services.accounts.findByEmail(email)).toBeUndefined();
    expect((await browser.get(path)).statusCode).toBe(200);
  });

  it('checks the role against the kind of organisation', async () => {
    const police = await orgOf('police', 'police-org');
    const attempt = t.services.invitations.invite({
      orgId: police.id,
      role: 'caseworker',
      email: 'x@example.org',
      invitedBy: null,
    });
    await expect(attempt).rejects.toBeInstanceOf(InvitationError);
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_role',
      message: 'Role must be one of: admin, officer, supervisor, analyst',
    });
    const before = t.clock.now().getTime();
    const { expiresAt } = await invitePath('constable@example.org', 'officer');
    const lifetime = Date.parse(expiresAt) - before;
    expect(lifetime).toBeGreaterThanOrEqual(72 * 60 * 60 * 1000);
    expect(lifetime).toBeLessThan(72 * 60 * 60 * 1000 + 5_000);
    expect(
      await t.services.db
        .selectFrom('invitations')
        .select('id')
        .where('role', '=', 'caseworker')
        .where('org_id', '=', police.id)
        .execute(),
    ).toHaveLength(0);
  });

  it('stores no token or email in the clear, and audits creation, acceptance and enrolment without personal data', async () => {
    const email = 'dana.quill@example.org';
    const { path, invitationId } = await invitePath(email);
    const token = path.split('/').pop()!;
    const stored = JSON.stringify(
      await t.services.db.selectFrom('invitations').selectAll().where('id', '=', invitationId).execute(),
    );
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(email);
    const browser = new TestBrowser(t.app);
    await browser.get(path);
    await browser.post(path, { password: 'lantern orchard 7 pebble', confirm: 'lantern orchard 7 pebble' });
    const enrol = await browser.get('/account/two-factor');
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    expect(secret.length).toBeGreaterThanOrEqual(26);
    await browser.post('/account/two-factor', { code: await totpNow(secret, t.clock.now()) });
    t.clock.advance(30_000);
    const user = await t.services.accounts.findByEmail(email);
    const entries = await t.services.db.selectFrom('audit_entries').selectAll().execute();
    const created = entries.find((e) => e.action === 'invitation.created' && e.target_id === invitationId);
    expect(created?.actor_kind).toBe('cli');
    expect(entries.find((e) => e.action === 'invitation.accepted' && e.target_id === invitationId)?.actor_id).toBe(
      user!.id,
    );
    expect(entries.some((e) => e.action === 'user.two-factor-enrolled' && e.target_id === user!.id)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(email);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('lets an administrator revoke a pending invitation, only in their own organisation', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'support-org' });
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'police-org' });
    const { path, invitationId } = await invitePath('pending.person@example.org');
    await policeAdmin.browser.get('/admin/users');
    expect((await policeAdmin.browser.get('/admin/users')).body).not.toContain('pending.person@example.org');
    await policeAdmin.browser.post(`/admin/invitations/${invitationId}/revoke`, {});
    expect((await new TestBrowser(t.app).get(path)).statusCode).toBe(200);

    const list = await admin.browser.get('/admin/users');
    expect(list.body).toContain('pending.person@example.org');
    const res = await admin.browser.post(`/admin/invitations/${invitationId}/revoke`, {});
    expect(res.headers.location).toBe('/admin/users');
    expect((await new TestBrowser(t.app).get(path)).statusCode).toBe(410);
    expect((await admin.browser.get('/admin/users')).body).not.toContain('pending.person@example.org');
    const entry = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'invitation.revoked')
      .where('target_id', '=', invitationId)
      .executeTakeFirst();
    expect(entry?.actor_id).toBe(admin.userId);
  });

  it('refuses a role from another kind of organisation on the admin page, keeping what was typed', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'support-org' });
    await admin.browser.get('/admin/users');
    const res = await admin.browser.post('/admin/users/invite', { email: 'new.officer@example.org', role: 'officer' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Role must be one of: admin, caseworker, liaison, outreach, analyst');
    expect(res.body).toContain('value="new.officer@example.org"');
    expect(res.body).not.toContain('id="invitation-link"');
  });

  it('lets only one of two invitations to the same address make an account', async () => {
    const email = 'twice.invited@example.org';
    const first = await invitePath(email);
    const second = await invitePath(email);
    const browser = new TestBrowser(t.app);
    await browser.get(first.path);
    expect(
      (await browser.post(first.path, { password: 'harbour violet 93 kite', confirm: 'harbour violet 93 kite' }))
        .headers.location,
    ).toBe('/account/two-factor');
    const other = new TestBrowser(t.app);
    await other.get(second.path);
    const res = await other.post(second.path, {
      password: 'another 93 kite harbour',
      confirm: 'another 93 kite harbour',
    });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('You already have an account');
    expect(
      await t.services.db
        .selectFrom('users')
        .select('id')
        .where('email_hmac', '=', t.services.accounts.emailIndex(email))
        .execute(),
    ).toHaveLength(1);
  });

  it('treats malformed and unknown links alike', async () => {
    for (const path of [
      '/invitation/short',
      '/invitation/' + 'A'.repeat(43),
      '/invitation/%27%20OR%201=1--aaaaaaaaaaaaaaaaaaaaaaaa',
    ]) {
      const res = await new TestBrowser(t.app).get(path);
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain('This invitation link is not valid');
    }
  });

  it('does not let a stale part-way session replace a secret that was enrolled elsewhere', async () => {
    const email = 'two.tabs@example.org';
    const { path } = await invitePath(email);
    const first = new TestBrowser(t.app);
    await first.get(path);
    await first.post(path, { password: 'copper meadow 41 lantern', confirm: 'copper meadow 41 lantern' });
    // The same person signs in with the password on another device before enrolling.
    const second = new TestBrowser(t.app);
    await second.get('/sign-in');
    expect((await second.post('/sign-in', { email, password: 'copper meadow 41 lantern' })).headers.location).toBe(
      '/account/two-factor',
    );
    const enrol = await first.get('/account/two-factor');
    const secret = /id="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    await first.post('/account/two-factor', { code: await totpNow(secret, t.clock.now()) });
    t.clock.advance(30_000);
    // The other device's part-way session ended with enrolment: it gets no new secret.
    expect((await second.get('/account/two-factor')).headers.location).toBe('/sign-in');
    const user = await t.services.accounts.findByEmail(email);
    expect(user?.totp_enrolled_at).not.toBeNull();
    await expect(t.services.accounts.pendingTotpSecret(user!.id)).rejects.toThrow('already enrolled');
    expect((await first.get('/staff')).statusCode).toBe(200);
  });
});
