import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('reports in the staff area on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  const report = (org: string, account: string) =>
    t.services.reports.submit(
      {
        org,
        incidentTypes: ['stalking'],
        account,
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: {
          names: ['Dave'],
          phones: [],
          emails: [],
          handles: [],
          appearance: { hair: 'shaved head', marks: 'scar on left hand' },
        },
        contact: {
          name: 'Ruby',
          methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false, codeWord: 'bluebird' }],
        },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

  it('lists the organisation’s reports and shows one in full, audited, with safe-contact rules', async () => {
    const mine = await report('safe-streets', 'He followed me home from the arches.');
    const theirs = await report('other-project', 'Not for Safe Streets to see.');
    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const inbox = await caseworker.browser.get('/staff/reports');
    expect(inbox.body).toContain(mine.reference);
    expect(inbox.body).not.toContain(theirs.reference);
    // The list decrypts nothing.
    expect(inbox.body).not.toContain('He followed me home');
    const page = await caseworker.browser.get(`/staff/reports/${mine.reference}`);
    expect(page.body).toContain('He followed me home from the arches.');
    expect(page.body).toContain('Do not leave a message.');
    expect(page.body).toContain('Code word: <bdi dir="auto">bluebird</bdi>.');
    expect(page.body).toContain('shaved head; scar on left hand');
    expect((await caseworker.browser.get(`/staff/reports/${theirs.reference}`)).statusCode).toBe(404);
    const views = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'report.viewed')
      .where('target_id', '=', mine.reportId)
      .execute();
    expect(views.map((v) => v.actor_id)).toEqual([caseworker.userId]);
  });

  it('replies in the person’s thread, shown on their "check your report" page', async () => {
    const mine = await report('safe-streets', 'Robbed near the station.');
    const liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    await liaison.browser.get(`/staff/reports/${mine.reference}`);
    const empty = await liaison.browser.post(`/staff/reports/${mine.reference}/messages`, { body: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write a reply');
    const sent = await liaison.browser.post(`/staff/reports/${mine.reference}/messages`, {
      body: 'Hi Ruby, it is Kerina. Are you safe to talk on Thursday?',
    });
    expect(sent.statusCode).toBe(303);
    const self = await t.app.inject({
      url: '/api/v1/reports/self',
      headers: { authorization: `Receipt ${mine.receiptCode}` },
    });
    expect(self.json().messages).toEqual([
      { from: 'support', body: 'Hi Ruby, it is Kerina. Are you safe to talk on Thursday?', sentAt: expect.any(String) },
    ]);
  });

  it('keeps accounts from outreach workers, analysts, administrators and the police, without revealing they exist', async () => {
    const mine = await report('safe-streets', 'Private account.');
    for (const who of [
      await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'analyst', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'northshire' }),
    ]) {
      expect((await who.browser.get('/staff/reports')).statusCode).toBe(404);
      const page = await who.browser.get(`/staff/reports/${mine.reference}`);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('Private account.');
    }
  });

  it('lets an administrator who also works cases read them, once another administrator (or they) says so with a fresh code', async () => {
    const mine = await report('safe-streets', 'Admin-readable account.');
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    expect((await admin.browser.get(`/staff/reports/${mine.reference}`)).statusCode).toBe(404);
    const form = await admin.browser.get(`/admin/users/${admin.userId}`);
    expect(form.body).toContain('Also works cases as');
    const refused = await admin.browser.post(`/admin/users/${admin.userId}/casework-role`, { caseworkRole: 'analyst' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose caseworker, liaison or neither');
    expect(
      (await admin.browser.post(`/admin/users/${admin.userId}/casework-role`, { caseworkRole: 'caseworker' }))
        .statusCode,
    ).toBe(303);
    const page = await admin.browser.get(`/staff/reports/${mine.reference}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Admin-readable account.');
    const audited = await t.services.db
      .selectFrom('audit_entries')
      .select(['action'])
      .where('action', '=', 'user.casework-role-changed')
      .execute();
    expect(audited).toHaveLength(1);
    expect(
      (await admin.browser.post(`/admin/users/${admin.userId}/casework-role`, { caseworkRole: '' })).statusCode,
    ).toBe(303);
    expect((await admin.browser.get(`/staff/reports/${mine.reference}`)).statusCode).toBe(404);
  });
});
