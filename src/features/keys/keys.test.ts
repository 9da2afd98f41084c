import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { nextTotpStep, signedInStaff, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('rotating keys from the admin pages on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('needs a fresh security code, keeps old data readable and is audited', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const before = t.services.cipher.encrypt('written before rotation', 'test.field');
    const oldKey = t.services.cipher.activeKeyId;
    t.clock.advance(6 * 60_000);
    await admin.browser.get('/admin/keys');
    expect((await admin.browser.post('/admin/keys/rotate', {})).statusCode).toBe(403);
    expect(t.services.cipher.activeKeyId).toBe(oldKey);

    await admin.browser.get('/account/confirm?next=/admin/keys');
    await admin.browser.post('/account/confirm', { code: await totpNow(t, admin.totpSecret), next: '/admin/keys' });
    nextTotpStep(t);
    await admin.browser.get('/admin/keys');
    const res = await admin.browser.post('/admin/keys/rotate', {});
    expect(res.headers.location).toBe('/admin/keys?rotated=1');
    expect(t.services.cipher.activeKeyId).not.toBe(oldKey);
    expect(await t.services.cipher.decrypt(before, 'test.field')).toBe('written before rotation');
    const page = await admin.browser.get('/admin/keys?rotated=1');
    expect(page.body).toContain('Reads older data');
    const entry = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'keys.rotated')
      .executeTakeFirst();
    expect(entry?.actor_id).toBe(admin.userId);
  });

  it('is only for administrators of the support organisation', async () => {
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    expect((await policeAdmin.browser.get('/admin/keys')).statusCode).toBe(403);
    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/keys')).statusCode).toBe(403);
  });
});
