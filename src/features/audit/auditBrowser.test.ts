import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('browsing the audit trail on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('shows administrators their organisation’s entries, filtered, and records the viewing', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    const police = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    const all = await admin.browser.get('/admin/audit');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('auth.sign-in');
    expect(all.body).toContain(admin.email);
    // Another organisation's sign-ins are not shown.
    expect(all.body).not.toContain(police.email);

    const filtered = await admin.browser.get('/admin/audit?action=audit.viewed');
    expect(filtered.body).toContain('audit.viewed');
    expect(filtered.body).not.toContain('<td class="govuk-table__cell">auth.sign-in</td>');

    const bad = await admin.browser.get('/admin/audit?from=yesterday&action=auth.sign-in');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a date like 2026-11-28');
    expect(bad.body).toContain('value="yesterday"');

    const views = await t.services.db
      .selectFrom('audit_entries')
      .select('actor_id')
      .where('action', '=', 'audit.viewed')
      .execute();
    expect(views.filter((v) => v.actor_id === admin.userId).length).toBeGreaterThanOrEqual(2);
  });

  it('pages through long trails', async () => {
    const admin = await signedInStaff(t, { role: 'admin' });
    for (let i = 0; i < 60; i += 1)
      await t.services.audit.record({ actorKind: 'system', orgId: admin.orgId, action: 'test.bulk', detail: { i } });
    const first = await admin.browser.get('/admin/audit?action=test.bulk');
    const next = /href="\/admin\/audit(\?[^"]+)">Older entries/.exec(first.body)?.[1];
    expect(next).toBeDefined();
    const second = await admin.browser.get(`/admin/audit${next!.replace(/&amp;/g, '&')}`);
    expect(second.statusCode).toBe(200);
    expect((second.body.match(/test\.bulk<\/td>/g) ?? []).length).toBe(10);
  });

  it('is refused to non-administrators', async () => {
    const analyst = await signedInStaff(t, { role: 'analyst' });
    expect((await analyst.browser.get('/admin/audit')).statusCode).toBe(403);
  });
});
