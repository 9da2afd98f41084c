import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('triage of reports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  const report = () =>
    t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'Hit by a punter',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

  it('assigns, sets priority and risk flags, records each change in the history and the audit trail', async () => {
    const { reference, reportId } = await report();
    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const page = await caseworker.browser.get(`/staff/reports/${reference}`);
    expect(page.body).toContain(liaison.email);
    const res = await caseworker.browser.post(`/staff/reports/${reference}/triage`, {
      status: 'open',
      assignee: liaison.userId,
      priority: 'high',
      flags: ['injured', 'repeat-victim'],
      reason: '',
    });
    expect(res.headers.location).toBe(`/staff/reports/${reference}#triage`);
    const after = await caseworker.browser.get(`/staff/reports/${reference}`);
    expect(after.body).toContain('Repeat victim');
    expect(after.body).toMatch(/id="history"[\s\S]*status to open[\s\S]*priority to high/);
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', reportId).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['case.status', 'case.assigned', 'case.priority', 'case.flags']));

    const mine = await liaison.browser.get('/staff/reports?mine=1');
    expect(mine.body).toContain(reference);
    const notMine = await caseworker.browser.get('/staff/reports?mine=1');
    expect(notMine.body).not.toContain(reference);
    const found = await caseworker.browser.get(`/staff/reports?q=${reference.toLowerCase()}`);
    expect(found.body).toContain(reference);
    const closedOnly = await caseworker.browser.get('/staff/reports?status=closed');
    expect(closedOnly.body).not.toContain(reference);
  });

  it('needs a reason to close, keeps what was chosen, and only assigns people who can hold cases', async () => {
    const { reference } = await report();
    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    await caseworker.browser.get(`/staff/reports/${reference}`);
    const noReason = await caseworker.browser.post(`/staff/reports/${reference}/triage`, {
      status: 'closed',
      priority: 'urgent',
      reason: '',
      assignee: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the case is being closed');
    expect(noReason.body).toMatch(/value="urgent" selected/);
    const wrongPerson = await caseworker.browser.post(`/staff/reports/${reference}/triage`, {
      status: 'open',
      priority: 'normal',
      reason: '',
      assignee: outreach.userId,
    });
    expect(wrongPerson.statusCode).toBe(400);
    expect(wrongPerson.body).toContain('Choose someone in your organisation who can look after cases');
    const closed = await caseworker.browser.post(`/staff/reports/${reference}/triage`, {
      status: 'closed',
      priority: 'normal',
      reason: 'Person asked us to stop',
      assignee: '',
    });
    expect(closed.statusCode).toBe(303);
    const page = await caseworker.browser.get(`/staff/reports/${reference}`);
    expect(page.body).toContain('(Person asked us to stop)');
    // The reason is free text, so it is stored encrypted.
    expect(JSON.stringify(await t.services.db.selectFrom('case_events').selectAll().execute())).not.toContain(
      'Person asked us to stop',
    );
  });

  it('records a choice the person gave in person, with who recorded it, in the ledger', async () => {
    const { reference, reportId } = await report();
    const liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    await liaison.browser.get(`/staff/reports/${reference}`);
    const refused = await liaison.browser.post(`/staff/reports/${reference}/consents`, {
      consentScope: 'policeContact',
      consentGiven: 'yes',
      consentVia: 'in-person',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The police can only contact you if you want the report passed to them');
    const ok = await liaison.browser.post(`/staff/reports/${reference}/consents`, {
      consentScope: 'policeReport',
      consentGiven: 'yes',
      consentVia: 'phone',
    });
    expect(ok.headers.location).toBe(`/staff/reports/${reference}#choices`);
    const ledger = await t.services.consent.history(reportId);
    expect(ledger.at(-1)).toMatchObject({
      scope: 'policeReport',
      decision: 'given',
      method: 'phone',
      recorded_by: liaison.userId,
    });
    expect(await t.services.consent.isCurrent(reportId, 'policeReport')).toBe(true);
  });
});
