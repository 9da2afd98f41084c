import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { ConsentScope } from '../consent/consentLedger.ts';

const NO_CONSENT = {
  support: true,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};

describe.each(testDatabases)('referrals to the police on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let supervisor: SignedInStaff;
  let officer: SignedInStaff;
  let otherOfficer: SignedInStaff;
  let otherForce: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    await t.services.organisations.create(
      { kind: 'police', name: 'Westshire Police', slug: 'westshire' },
      { kind: 'system' },
    );
    ({ liaison, supervisor, officer, otherOfficer, otherForce } = await policeLiaisonStaff(t));
  });
  afterAll(async () => t.close());

  const report = (consents: Partial<Record<ConsentScope, boolean>>) =>
    t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault', 'robbery-or-theft'],
        account: 'He hit me behind the old mill and took my phone',
        occurredOn: '2026-03-14',
        area: 'Canal Street',
        consents: { ...NO_CONSENT, ...consents },
        perpetrator: {
          names: ['Dave the van'],
          phones: ['07700900999'],
          emails: [],
          handles: [],
          vehicle: { colour: 'white', make: 'Ford', registration: 'KX12 ?BC' },
        },
        contact: {
          name: 'Ruby Example',
          methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false, safeTimes: 'after 6pm' }],
        },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

  const send = async (reference: string, fields: Record<string, string>) => {
    await liaison.browser.get(
      `/staff/reports/${reference}/referrals/new?force=${fields.force ?? 'northshire'}&level=${fields.level}`,
    );
    return liaison.browser.post(`/staff/reports/${reference}/referrals`, { force: 'northshire', ...fields });
  };
  const referralIds = async (reportId: string) =>
    (
      await t.services.db
        .selectFrom('referrals')
        .select('id')
        .where('report_id', '=', reportId)
        .orderBy('sent_at')
        .execute()
    ).map((r) => r.id);
  const audits = (action: string, targetId: string) =>
    t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', action)
      .where('target_id', '=', targetId)
      .execute();

  it('refuses each level without its consent, sending nothing, and sends with it', async () => {
    const { reference, reportId } = await report({});
    const prepare = await liaison.browser.get(
      `/staff/reports/${reference}/referrals/new?force=northshire&level=intelligence`,
    );
    expect(prepare.statusCode).toBe(200);
    expect(prepare.body).toContain(
      'They have not agreed to their report being passed to the police as anonymous intelligence',
    );
    expect(prepare.body).not.toContain('Send referral');
    for (const level of ['intelligence', 'full']) {
      const refused = await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
        force: 'northshire',
        level,
        summary: 'Outline',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('govuk-error-summary');
      expect(refused.body).toContain('Nothing was sent');
    }
    expect(await referralIds(reportId)).toEqual([]);

    // Intelligence agreed, full report not.
    const intel = await report({ policeIntelligence: true });
    const full = await send(intel.reference, { level: 'full', summary: '' });
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain('as a crime report');
    expect(await referralIds(intel.reportId)).toEqual([]);
    const sent = await send(intel.reference, {
      level: 'intelligence',
      summary: 'Dave the van, white Ford KX12 ?BC, robbing women on Canal Street, March 2026.',
    });
    expect(sent.headers.location).toBe(`/staff/reports/${intel.reference}?referred=1#referrals`);
    expect(await referralIds(intel.reportId)).toHaveLength(1);

    // Full report agreed.
    const agreed = await report({ policeReport: true });
    expect((await send(agreed.reference, { level: 'full', summary: 'Please call us first' })).statusCode).toBe(303);
    const [id] = await referralIds(agreed.reportId);
    expect(await audits('referral.sent', id!)).toMatchObject([{ actor_kind: 'user', actor_id: liaison.userId }]);
  });

  it('starts intelligence from a redacted draft, never with the person, and refuses text that names them', async () => {
    const { reference, reportId } = await report({ policeIntelligence: true });
    const page = await liaison.browser.get(
      `/staff/reports/${reference}/referrals/new?force=northshire&level=intelligence`,
    );
    expect(page.statusCode).toBe(200);
    const draft = /<textarea[^>]*name="summary"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.body)?.[1] ?? '';
    expect(draft).toContain('Physical assault, Robbery or theft');
    expect(draft).toContain('March 2026');
    expect(draft).toContain('Canal Street');
    expect(draft).toContain('Dave the van');
    expect(draft).toContain('white Ford KX12 ?BC');
    for (const secret of ['Ruby', '07700900456', 'old mill', '2026-03-14', 'after 6pm'])
      expect(draft).not.toContain(secret);

    const named = await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
      force: 'northshire',
      level: 'intelligence',
      summary: 'Ruby Example was robbed by Dave',
    });
    expect(named.statusCode).toBe(400);
    expect(named.body).toContain('Take out the person');
    expect(named.body).toContain('Ruby Example was robbed by Dave');
    const contact = await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
      force: 'northshire',
      level: 'intelligence',
      summary: 'Call 07700900456',
    });
    expect(contact.statusCode).toBe(400);
    const notLinked = await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
      force: 'westshire',
      level: 'intelligence',
      summary: 'Outline',
    });
    expect(notLinked.statusCode).toBe(400);
    expect(notLinked.body).toContain('Choose a police force your organisation works with');
    expect(await referralIds(reportId)).toEqual([]);

    expect(
      (
        await liaison.browser.post(`/staff/reports/${reference}/referrals`, {
          force: 'northshire',
          level: 'intelligence',
          summary: 'Secret outline text 8812',
        })
      ).statusCode,
    ).toBe(303);
    // What police see is encrypted at rest.
    expect(JSON.stringify(await t.services.db.selectFrom('referrals').selectAll().execute())).not.toContain(
      'Secret outline text',
    );
    const casePage = await liaison.browser.get(`/staff/reports/${reference}`);
    expect(casePage.body).toMatch(/id="referrals"[\s\S]*Northshire Police[\s\S]*Intelligence \(anonymous\)[\s\S]*new/);
  });

  it('shows supervisors their force’s referrals, audits every view, and downloads intelligence as JSON and CSV', async () => {
    const { reference, reportId } = await report({ policeIntelligence: true });
    await send(reference, { level: 'intelligence', summary: 'Dave, "white van", Canal Street\n=cmd' });
    const [id] = await referralIds(reportId);
    const list = await supervisor.browser.get('/police/referrals?status=new');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/police/referrals/${id}`);
    const page = await supervisor.browser.get(`/police/referrals/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Dave, &quot;white van&quot;, Canal Street');
    expect(page.body).not.toContain('Ruby');
    expect(page.body).not.toContain(reference);
    expect(await audits('referral.viewed', id!)).toMatchObject([
      { actor_kind: 'user', actor_id: supervisor.userId, org_id: supervisor.orgId },
    ]);
    expect(
      (
        await t.services.db
          .selectFrom('audit_entries')
          .select('actor_id')
          .where('action', '=', 'referral.list-viewed')
          .execute()
      ).map((a) => a.actor_id),
    ).toContain(supervisor.userId);

    const json = await supervisor.browser.get(`/police/referrals/${id}/download.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain(`referral-${id}.json`);
    expect(json.json()).toEqual({
      id,
      force: 'northshire',
      receivedAt: expect.any(String),
      incidentTypes: ['physical-assault', 'robbery-or-theft'],
      area: 'Canal Street',
      month: '2026-03',
      summary: 'Dave, "white van", Canal Street\n=cmd',
    });
    const csv = await supervisor.browser.get(`/police/referrals/${id}/download.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, row] = csv.body.split('\r\n');
    expect(header).toBe('id,force,receivedAt,incidentTypes,area,month,summary');
    expect(row).toContain(`${id},northshire,`);
    expect(csv.body).toContain(
      'physical-assault;robbery-or-theft,Canal Street,2026-03,"Dave, ""white van"", Canal Street\n=cmd"',
    );
    expect((await audits('referral.downloaded', id!)).map((a) => JSON.parse(a.detail).format)).toEqual(['json', 'csv']);

    // The whole force's intelligence referrals at once: only those whose consent is current now.
    const withdrawn = await report({ policeIntelligence: true });
    await send(withdrawn.reference, { level: 'intelligence', summary: 'Withdrawn later 5512' });
    await t.services.reports.changeConsent(withdrawn.reportId, 'policeIntelligence', false, 'online', null);
    const all = await supervisor.browser.get('/police/referrals/intelligence.json');
    const items = all.json().items as { id: string; summary: string }[];
    expect(items.map((i) => i.id)).toContain(id);
    expect(JSON.stringify(items)).not.toContain('Withdrawn later');
    const allCsv = await supervisor.browser.get('/police/referrals/intelligence.csv');
    expect(allCsv.body.split('\r\n')[0]).toBe('id,force,receivedAt,incidentTypes,area,month,summary');
    expect(allCsv.body).not.toContain('Withdrawn later');
    expect((await audits('referral.downloaded', id!)).map((a) => JSON.parse(a.detail).format)).toEqual([
      'json',
      'csv',
      'json',
      'csv',
    ]);
    expect((await otherForce.browser.get('/police/referrals/intelligence.json')).json().items).toEqual([]);
    expect(
      (await officer.browser.get('/police/referrals/intelligence.json')).json().items.map((i: { id: string }) => i.id),
    ).not.toContain(id);
    expect(JSON.stringify(await audits('referral.downloaded', id!))).not.toContain('Canal');
  });

  it('checks consent again at every police view: withdrawn contact hides contact details, withdrawn report hides everything', async () => {
    const { reference, reportId } = await report({ policeReport: true, policeContact: true });
    await send(reference, { level: 'full', summary: 'Covering note' });
    const [id] = await referralIds(reportId);
    const before = await supervisor.browser.get(`/police/referrals/${id}`);
    expect(before.body).toContain('Ruby Example');
    expect(before.body).toContain('07700900456');
    expect(before.body).toContain('Do not leave a message');
    expect(before.body).toContain('He hit me behind the old mill');

    await t.services.reports.changeConsent(reportId, 'policeContact', false, 'online', null);
    const noContact = await supervisor.browser.get(`/police/referrals/${id}`);
    expect(noContact.body).toContain('Ruby Example');
    expect(noContact.body).not.toContain('07700900456');
    expect(noContact.body).toContain('They have not agreed to be contacted by the police directly');

    t.clock.advance(60_000);
    await t.services.reports.changeConsent(reportId, 'policeReport', false, 'online', null);
    const withdrawnAt = (await t.services.consent.history(reportId))
      .filter((e) => e.scope === 'policeReport' && e.decision === 'withdrawn')
      .at(-1)!.recorded_at;
    const after = await supervisor.browser.get(`/police/referrals/${id}`);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Consent withdrawn');
    expect(after.body).toContain(withdrawnAt.replace('T', ' ').slice(0, 16));
    expect(after.body).toContain('The police keep only what their own systems already hold.');
    for (const hidden of ['Ruby Example', '07700900456', 'He hit me', 'Covering note', 'Dave the van'])
      expect(after.body).not.toContain(hidden);
    expect(after.body).not.toContain('Accept referral');
    expect((await liaison.browser.get(`/staff/reports/${reference}`)).body).toContain(
      'Consent withdrawn:</strong> the police no longer see it',
    );
    const views = await audits('referral.viewed', id!);
    expect(views.map((v) => JSON.parse(v.detail))).toMatchObject([
      { consent: 'current', victimShown: true, contactShown: true },
      { consent: 'current', victimShown: true, contactShown: false },
      { consent: 'withdrawn', victimShown: false, contactShown: false },
    ]);
    // Accepting after withdrawal is refused.
    expect(
      (
        await supervisor.browser.post(`/police/referrals/${id}/accept`, {
          crimeReference: 'NS/1/26',
          officer: officer.userId,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('lets the supervisor accept with a crime reference and officer, or decline with a reason', async () => {
    const { reference, reportId } = await report({ policeReport: true });
    await send(reference, { level: 'full', summary: '' });
    await send(reference, { level: 'full', summary: 'Second' });
    const [first, second] = await referralIds(reportId);

    const page = await supervisor.browser.get(`/police/referrals/${first}`);
    expect(page.body).toContain(officer.email);
    const missing = await supervisor.browser.post(`/police/referrals/${first}/accept`, {
      crimeReference: '',
      officer: officer.userId,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter the crime reference number');
    expect(missing.body).toMatch(new RegExp(`value="${officer.userId}" selected`));
    const stranger = await supervisor.browser.post(`/police/referrals/${first}/accept`, {
      crimeReference: 'NS/123/26',
      officer: otherForce.userId,
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.body).toContain('Choose an officer of your force');
    expect(stranger.body).toContain('value="NS/123/26"');
    expect(await t.services.db.selectFrom('police_cases').selectAll().execute()).toEqual([]);

    const accepted = await supervisor.browser.post(`/police/referrals/${first}/accept`, {
      crimeReference: 'NS/123/26',
      officer: officer.userId,
    });
    expect(accepted.headers.location).toBe(`/police/referrals/${first}`);
    const shown = await supervisor.browser.get(`/police/referrals/${first}`);
    expect(shown.body).toContain('NS/123/26');
    expect(shown.body).toContain(officer.email);
    expect(
      (
        await supervisor.browser.post(`/police/referrals/${first}/accept`, {
          crimeReference: 'NS/9/26',
          officer: officer.userId,
        })
      ).statusCode,
    ).toBe(409);
    expect(await audits('referral.accepted', first!)).toMatchObject([{ actor_id: supervisor.userId }]);

    const noReason = await supervisor.browser.post(`/police/referrals/${second}/decline`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the referral is declined');
    expect(
      (await supervisor.browser.post(`/police/referrals/${second}/decline`, { reason: 'Kept as intelligence 4471' }))
        .statusCode,
    ).toBe(303);
    expect(JSON.stringify(await t.services.db.selectFrom('referrals').selectAll().execute())).not.toContain(
      'Kept as intelligence',
    );

    const casePage = await liaison.browser.get(`/staff/reports/${reference}`);
    expect(casePage.body).toContain('NS/123/26');
    expect(casePage.body).toContain('Kept as intelligence 4471');
    expect(casePage.body).toMatch(/>accepted</);
    expect(casePage.body).toMatch(/>declined</);
  });

  it('shows officers only the referrals assigned to them; other forces, other roles and the charity get 404', async () => {
    const { reference, reportId } = await report({ policeReport: true });
    await send(reference, { level: 'full', summary: '' });
    await send(reference, { level: 'full', summary: '' });
    const [mine, unassigned] = await referralIds(reportId);
    await supervisor.browser.get(`/police/referrals/${mine}`);
    await supervisor.browser.post(`/police/referrals/${mine}/accept`, {
      crimeReference: 'NS/777/26',
      officer: officer.userId,
    });

    const list = await officer.browser.get('/police/referrals');
    expect(list.body).toContain(`/police/referrals/${mine}`);
    expect(list.body).not.toContain(`/police/referrals/${unassigned}`);
    expect((await officer.browser.get(`/police/referrals/${mine}`)).statusCode).toBe(200);
    expect((await officer.browser.get(`/police/referrals/${unassigned}`)).statusCode).toBe(404);
    expect(
      (
        await officer.browser.post(
          `/police/referrals/${unassigned}/decline`,
          { reason: 'no' },
          (await supervisor.browser.get(`/police/referrals/${unassigned}`)).body,
        )
      ).statusCode,
    ).toBe(404);
    expect((await otherOfficer.browser.get(`/police/referrals/${mine}`)).statusCode).toBe(404);
    expect((await otherOfficer.browser.get('/police/referrals')).body).not.toContain(`/police/referrals/${mine}`);

    // Another force: 404 for the page and the downloads, and nothing in its list.
    for (const path of [
      `/police/referrals/${mine}`,
      `/police/referrals/${mine}/download.json`,
      `/police/referrals/${unassigned}`,
    ]) {
      expect((await otherForce.browser.get(path)).statusCode).toBe(404);
    }
    expect((await otherForce.browser.get('/police/referrals')).body).not.toContain(mine);

    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'northshire' });
    const analyst = await signedInStaff(t, { role: 'analyst', orgKind: 'police', orgSlug: 'northshire' });
    for (const who of [policeAdmin, analyst, liaison]) {
      expect((await who.browser.get('/police/referrals')).statusCode).toBe(404);
      expect((await who.browser.get(`/police/referrals/${mine}`)).statusCode).toBe(404);
    }
    // Police never open the charity's case pages or the referral form.
    expect((await supervisor.browser.get(`/staff/reports/${reference}`)).statusCode).toBe(404);
    expect(
      (await supervisor.browser.get(`/staff/reports/${reference}/referrals/new?force=northshire&level=full`))
        .statusCode,
    ).toBe(404);
    // A full referral cannot be downloaded as intelligence.
    expect((await supervisor.browser.get(`/police/referrals/${mine}/download.csv`)).statusCode).toBe(404);
  });
});
