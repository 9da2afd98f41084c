import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { createStaff, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { safeNextPath } from './stepUp.ts';

describe('where a confirmation may send the person next', () => {
  it.each(['/admin/users/abc', '/admin/keys', '/admin/audit?action=auth.sign-in'])(
    'allows the local path %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );
  it.each([
    '//evil.example/x',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '',
    undefined,
    ['/staff'],
  ])('refuses %s', (value) => {
    expect(safeNextPath(value)).toBe('/staff');
  });
});

describe.each(testDatabases)('step-up before sensitive actions on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('refuses a role change or two-factor reset without a fresh code, changing nothing, and says how to confirm', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const member = await createStaff(t, { role: 'outreach' });
    t.clock.advance(5 * 60_000 + 1000);
    await admin.browser.get('/admin/users');
    for (const action of ['role', 'reset-two-factor']) {
      const refused = await admin.browser.post(`/admin/users/${member.userId}/${action}`, { role: 'analyst' });
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('Confirm it is you first');
      expect(refused.body).toContain(
        `href="/account/confirm?next=${encodeURIComponent(`/admin/users/${member.userId}`)}"`,
      );
    }
    const after = await t.services.accounts.find(member.userId);
    expect(after?.role).toBe('outreach');
    expect(after?.totp_enrolled_at).not.toBeNull();
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', member.userId).execute()
    ).map((a) => a.action);
    expect(actions).not.toContain('user.role-changed');
    expect(actions).not.toContain('user.two-factor-reset');
  });

  it('accepts a fresh code once, for five minutes, and audits it', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const member = await createStaff(t, { role: 'caseworker' });
    t.clock.advance(6 * 60_000);
    const next = `/admin/users/${member.userId}`;
    await admin.browser.get(`/account/confirm?next=${encodeURIComponent(next)}`);
    expect((await admin.browser.post('/account/confirm', { code: '000000', next })).statusCode).toBe(400);
    const ok = await admin.browser.post('/account/confirm', { code: await totpNow(admin.totpSecret), next });
    expect(ok.headers.location).toBe(next);
    expect((await admin.browser.get(next)).statusCode).toBe(200);
    t.clock.advance(5 * 60_000);
    expect((await admin.browser.get(next)).headers.location).toContain('/account/confirm');
    // A second confirmation straight after needs the next code, which totpNow waits for.
    await admin.browser.get(`/account/confirm?next=${encodeURIComponent(next)}`);
    expect(
      (await admin.browser.post('/account/confirm', { code: await totpNow(admin.totpSecret), next })).headers.location,
    ).toBe(next);
    await admin.browser.get(`/account/confirm?next=${encodeURIComponent(next)}`);
    expect(
      (await admin.browser.post('/account/confirm', { code: await totpNow(admin.totpSecret), next })).headers.location,
    ).toBe(next);
    const stepUps = await t.services.db
      .selectFrom('audit_entries')
      .select('action')
      .where('action', '=', 'auth.step-up')
      .where('actor_id', '=', admin.userId)
      .execute();
    expect(stepUps).toHaveLength(3);
  });

  it('never redirects off the site after confirming', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/account/confirm?next=//evil.example/steal');
    expect(page.body).toContain('name="next" value="/staff"');
    const res = await admin.browser.post('/account/confirm', {
      code: await totpNow(admin.totpSecret),
      next: 'https://evil.example',
    });
    expect(res.headers.location).toBe('/staff');
  });
});
