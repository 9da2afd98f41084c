import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { readable } from '../../../test/support/typedIdentifiers.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { ReportInput } from '../reporting/reportSchema.ts';
import { addMonths } from './warningService.ts';

const REPORTER_NAME = 'Ruby Reportername';
const REPORTER_PHONE = '07700 900456';
const CODE_WORD = 'bluebird';
const EXACT_PLACE = '14 Acacia Road flat 2';
const EXACT_TIME = '23:40 exactly';

describe.each(testDatabases)('warnings to others on %s', (kind) => {
  let t: TestApp;
  let orgId: string;
  let otherOrgId: string;
  let author: SignedInStaff;
  let approver: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    orgId = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      )
    ).id;
    otherOrgId = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Other Project', slug: 'other-project' },
        { kind: 'system' },
      )
    ).id;
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    await t.services.organisations.setAreas(orgId, ['Kings Cross', 'Holloway'], { kind: 'system' });
    author = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    approver = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
  }, 60_000);
  afterAll(async () => t.close());

  const report = async (overrides: Partial<ReportInput> = {}, org = 'safe-streets') =>
    t.services.reports.submit(
      {
        org,
        incidentTypes: ['physical-assault', 'robbery-or-theft'],
        account: 'He picked me up and hit me, then took my bag.',
        occurredOn: '2026-10-14',
        timeOfDay: EXACT_TIME,
        area: 'Kings Cross',
        placeDetails: EXACT_PLACE,
        contactStarted: 'street',
        consents: {
          support: true,
          warnOthers: true,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: {
          names: ['Dave'],
          phones: ['07700 900123'],
          emails: [],
          handles: ['@dave_drives'],
          vehicle: { make: 'Ford', colour: 'silver', registration: 'KX12 ABC' },
          appearance: { sex: 'man', ageRange: '40s', hair: 'grey beard' },
          description: 'Tattoo of a snake on his left hand',
        },
        contact: {
          name: REPORTER_NAME,
          methods: [{ kind: 'text', value: REPORTER_PHONE, safeToLeaveMessage: false, codeWord: CODE_WORD }],
        },
        ...overrides,
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

  const actor = (who: SignedInStaff) => ({ kind: 'user' as const, id: who.userId, orgId: who.orgId });
  const draftFields = (reference: string, extra: Record<string, string> = {}) => ({
    reports: reference,
    title: 'Man in silver Ford, Kings Cross',
    body: 'Picks people up on the street, then assaults and robs them.',
    type: 'physical-assault',
    area: 'Kings Cross',
    phones: '07700 900123',
    registrations: 'KX12 ABC',
    handles: '@dave_drives',
    vehicle: 'silver Ford',
    description: 'Tattoo of a snake on his left hand',
    ...extra,
  });

  /** Drafts through the editor as `who`; returns the warning id. */
  const draftThroughPage = async (who: SignedInStaff, reference: string, extra: Record<string, string> = {}) => {
    await who.browser.get(`/staff/warnings/new?reports=${reference}`);
    const res = await who.browser.post('/staff/warnings/new', draftFields(reference, extra));
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    return String(res.headers.location).replace('/staff/warnings/', '');
  };

  const serviceDraft = async (
    reference: string,
    input: { phones?: string[]; registrations?: string[]; title?: string } = {},
  ) =>
    t.services.warnings.draft(actor(author), {
      reports: [reference],
      title: input.title ?? 'A warning',
      body: 'Be careful.',
      type: 'threats-or-harassment',
      area: null,
      phones: input.phones ?? [],
      registrations: input.registrations ?? [],
      handles: [],
      vehicle: '',
      description: '',
    });

  it('pre-fills the editor from the report but never who reported, how to reach them, the exact place or time', async () => {
    const { reference, reportId } = await report();
    const page = await author.browser.get(`/staff/warnings/new?reports=${reference}`);
    expect(page.statusCode).toBe(200);
    const form = page.body.slice(page.body.indexOf('<h2 class="govuk-heading-m">The warning</h2>'));
    expect(form).toContain('07700 900123');
    expect(form).toContain('KX12 ABC');
    expect(form).toContain('@dave_drives');
    expect(form).toContain('silver Ford');
    expect(form).toContain('man, 40s, grey beard');
    expect(form).toContain('Tattoo of a snake on his left hand');
    expect(form).toContain('How contact started: on the street.');
    expect(form).toContain('When: October 2026.');
    expect(form).toContain('What they did: Physical assault; Robbery or theft.');
    expect(form).toMatch(/value="Kings Cross" selected/);
    expect(form).toMatch(/value="physical-assault" selected/);
    // Nothing on the whole page identifies the person who reported.
    for (const secret of [
      REPORTER_NAME,
      REPORTER_PHONE,
      '07700900456',
      CODE_WORD,
      EXACT_PLACE,
      EXACT_TIME,
      '2026-10-14',
      '14 October',
    ])
      expect(page.body, secret).not.toContain(secret);
    // Side by side: the report and the form are two grid columns.
    expect(page.body.match(/govuk-grid-column-one-half/g)?.length).toBe(2);
    // Reading the report to draft from it is a view of the report, and audited.
    const views = await t.services.db
      .selectFrom('audit_entries')
      .select('actor_id')
      .where('action', '=', 'report.viewed')
      .where('target_id', '=', reportId)
      .execute();
    expect(views.map((v) => v.actor_id)).toContain(author.userId);
  });

  it('drafts from several reports at once, merging what they say about the same person', async () => {
    const one = await report();
    const two = await report({
      incidentTypes: ['threats-or-harassment'],
      occurredOn: '2026-11',
      perpetrator: {
        names: [],
        phones: ['07700 900123', '07700 900124'],
        emails: [],
        handles: [],
        description: 'Drives a taxi',
      },
    });
    const page = await author.browser.get(
      `/staff/warnings/new?reports=${one.reference.toLowerCase()},${two.reference}`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(one.reference);
    expect(page.body).toContain(two.reference);
    expect(page.body).toMatch(/07700 900123\n07700 900124/);
    expect(page.body).toContain('When: October 2026, November 2026.');
    expect(page.body).toContain('Drives a taxi');
    const res = await author.browser.post(
      '/staff/warnings/new',
      draftFields(`${one.reference}, ${two.reference}`, { title: 'Taxi driver, two reports' }),
    );
    expect(res.statusCode).toBe(303);
    const id = String(res.headers.location).replace('/staff/warnings/', '');
    const detail = await author.browser.get(`/staff/warnings/${id}`);
    expect(detail.body).toContain(`${one.reference}, ${two.reference}`.split(', ').sort().join(', '));
  });

  it('needs a second member of staff to publish: the author cannot approve, on the page or by posting', async () => {
    const { reference } = await report();
    const id = await draftThroughPage(author, reference);
    const own = await author.browser.get(`/staff/warnings/${id}`);
    expect(own.body).toContain('needs approval from a different member of staff');
    expect(own.body).not.toContain('Approve and publish');
    const refused = await author.browser.post(`/staff/warnings/${id}/approve`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('You drafted this warning, so a different member of staff must approve it');
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).not.toContain(id);

    const theirs = await approver.browser.get(`/staff/warnings/${id}`);
    expect(theirs.body).toContain('Approve and publish');
    const approved = await approver.browser.post(`/staff/warnings/${id}/approve`, {});
    expect(approved.statusCode).toBe(303);
    const published = (await t.services.warnings.published(orgId)).find((w) => w.id === id);
    expect(published).toMatchObject({
      orgId,
      title: 'Man in silver Ford, Kings Cross',
      type: 'physical-assault',
      area: 'Kings Cross',
    });
    expect(Date.parse(published!.expiresAt)).toBe(addMonths(new Date(published!.publishedAt), 12).getTime());
    const page = await approver.browser.get(`/staff/warnings/${id}`);
    expect(page.body).toMatch(/id="history"[\s\S]*drafted[\s\S]*approved/);
    expect(page.body).toContain(author.email);
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', id).execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['warning.drafted', 'warning.approved', 'warning.viewed']));
    // Approving twice changes nothing.
    expect((await approver.browser.post(`/staff/warnings/${id}/approve`, {})).statusCode).toBe(400);

    // The perpetrator's identifiers and the text are stored encrypted; matching uses keyed digests only.
    const stored = JSON.stringify([
      await t.services.db.selectFrom('warnings').selectAll().execute(),
      await t.services.db.selectFrom('warning_identifiers').selectAll().execute(),
      await t.services.db.selectFrom('warning_events').selectAll().execute(),
    ]);
    for (const plain of ['Man in silver Ford', '7700', 'KX12', 'dave_drives', 'snake', 'Picks people up'])
      expect(stored, plain).not.toContain(plain);
  });

  it('refuses the same token approving its own draft through the API, with 409 same-author', async () => {
    const { reference } = await report();
    const first = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'caseworker', name: 'Case system' },
        { kind: 'system' },
      )
    ).token;
    const second = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'liaison', name: 'Liaison laptop' },
        { kind: 'system' },
      )
    ).token;
    const call = (method: 'POST', url: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
        ...(payload ? { payload: JSON.stringify(payload) } : {}),
      });
    const body = {
      reports: [reference],
      title: 'Blue van, Holloway',
      body: 'Refuses to pay and threatens people.',
      area: 'Holloway',
      type: 'refused-to-pay-or-fraud',
      perpetrator: {
        phones: ['+44 7700 900777'],
        vehicle: { registration: 'AB12 CDE' },
        handles: [],
        description: 'Bald',
      },
    };

    const bad = await call('POST', '/api/v1/warnings', first, {
      ...body,
      perpetrator: { ...body.perpetrator, phones: ['not a number'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^body\.perpetrator\.phones: /);
    const wrongArea = await call('POST', '/api/v1/warnings', first, { ...body, area: 'Atlantis' });
    expect(wrongArea.statusCode).toBe(400);

    const created = await call('POST', '/api/v1/warnings', first, body);
    expect(created.statusCode).toBe(201);
    const { id, status } = created.json() as { id: string; status: string };
    expect(status).toBe('draft');
    const same = await call('POST', `/api/v1/warnings/${id}/approve`, first);
    expect(same.statusCode).toBe(409);
    expect(same.json().error.code).toBe('same-author');
    const ok = await call('POST', `/api/v1/warnings/${id}/approve`, second);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, status: 'published' });
    expect((await t.services.warnings.check(orgId, readable('07700 900777'))).map((m) => m.id)).toEqual([id]);
    expect((await t.services.warnings.check(orgId, readable('ab12cde'))).map((m) => m.id)).toEqual([id]);

    const noReason = await call('POST', `/api/v1/warnings/${id}/withdraw`, first, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const withdrawn = await call('POST', `/api/v1/warnings/${id}/withdraw`, first, { reason: 'Reporter asked us to' });
    expect(withdrawn.statusCode).toBe(200);
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).not.toContain(id);
    expect(await t.services.warnings.check(orgId, readable('07700 900777'))).toEqual([]);
    expect(await t.services.warnings.check(orgId, readable('AB12CDE'))).toEqual([]);
    expect((await call('POST', `/api/v1/warnings/${id}/withdraw`, first, { reason: 'again' })).statusCode).toBe(409);

    // The operations are in the OpenAPI document.
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/warnings', '/api/v1/warnings/{id}/approve', '/api/v1/warnings/{id}/withdraw']),
    );
  });

  it('treats 07700 900123, +44 7700 900123 and 447700900123 as the same number', async () => {
    const { reference } = await report();
    const id = await serviceDraft(reference, { phones: ['447700 900321'] });
    await t.services.warnings.approve(actor(approver), id);
    for (const form of ['07700 900321', '+44 7700 900321', '447700900321', '07700900321']) {
      expect(
        (await t.services.warnings.check(orgId, readable(form))).map((m) => m.id),
        form,
      ).toContain(id);
    }
    expect((await t.services.warnings.check(orgId, readable('07700 900322'))).map((m) => m.id)).not.toContain(id);
  });

  it('matches a full registration against a partial one in a warning, and nothing that does not fit', async () => {
    const { reference } = await report();
    const id = await serviceDraft(reference, { registrations: ['KX?? ?BC'], title: 'Partial plate' });
    const exact = await serviceDraft(reference, { registrations: ['LM65 XYZ'], title: 'Exact plate' });
    await t.services.warnings.approve(actor(approver), id);
    await t.services.warnings.approve(actor(approver), exact);
    const ids = async (registration: string) =>
      (await t.services.warnings.check(orgId, readable(registration))).map((m) => m.id);
    for (const fits of ['KX12 ABC', 'kx12abc', 'KX99ZBC', 'kx 0 0 q b c']) expect(await ids(fits), fits).toContain(id);
    for (const not of ['KX12 ABD', 'KY12 ABC', 'KX1 ABC', 'KX12 AABC', 'LM65 XYZ'])
      expect(await ids(not), not).not.toContain(id);
    expect(await ids('lm65xyz')).toEqual([exact]);
    expect(await ids('LM65 XYA')).toEqual([]);
    // A partial check finds the whole plates that fit it, and the partial ones that could be the same car.
    expect(await ids('?M65 XY?')).toEqual([exact]);
    for (const fits of ['KX?? ?BC', 'KX1? ???', '??99 Z??']) expect(await ids(fits), fits).toContain(id);
    for (const not of ['LM?? ?BC', 'KY?? ???', 'KX? ?BC']) expect(await ids(not), not).not.toContain(id);

    // The staff checker: a form, a result, no change.
    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    await outreach.browser.get('/staff/warnings/check');
    const found = await outreach.browser.post('/staff/warnings/check', { value: 'kx12 abc' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('We checked the registration KX12ABC');
    expect(found.body).toContain('Partial plate');
    expect(found.body).not.toContain('Exact plate');
    const partial = await outreach.browser.post('/staff/warnings/check', { value: 'lm?? xyz' });
    expect(partial.body).toContain('We checked the partial registration LM??XYZ');
    expect(partial.body).toContain('Exact plate');
    const none = await outreach.browser.post('/staff/warnings/check', { value: 'ZZ99 ZZZ' });
    expect(none.body).toContain('Not in any active warning');
    const bad = await outreach.browser.post('/staff/warnings/check', { value: 'call me' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('We could not read that as a phone number or a registration');
    expect(bad.body).not.toContain('Not in any active warning');
    expect(bad.body).toContain('value="call me"');
    const checks = await t.services.db
      .selectFrom('audit_entries')
      .select(['action', 'detail'])
      .where('action', '=', 'warning.checked')
      .where('actor_id', '=', outreach.userId)
      .execute();
    expect(checks.length).toBe(3);
    expect(JSON.stringify(checks)).not.toMatch(/KX12|ZZ99/i);
  });

  it('shows outreach the published list, the sheet and the checker, but never drafts', async () => {
    const { reference } = await report();
    const draftId = await serviceDraft(reference, { title: 'Still a draft' });
    const liveId = await serviceDraft(reference, { title: 'Live warning for outreach' });
    await t.services.warnings.approve(actor(approver), liveId);
    const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    const list = await outreach.browser.get('/staff/warnings');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Live warning for outreach');
    expect(list.body).not.toContain('Still a draft');
    expect(list.body).not.toContain('Awaiting approval');
    expect((await outreach.browser.get(`/staff/warnings/${draftId}`)).statusCode).toBe(404);
    expect((await outreach.browser.get(`/staff/warnings/${liveId}`)).statusCode).toBe(404);
    expect((await outreach.browser.get(`/staff/warnings/new?reports=${reference}`)).statusCode).toBe(404);
    const sheet = await outreach.browser.get('/staff/warnings/print');
    expect(sheet.statusCode).toBe(200);
    expect(sheet.body).toContain('Live warning for outreach');
    expect(sheet.body).not.toContain('Still a draft');
    expect(sheet.body).not.toContain('govuk-service-navigation');
    const css = await outreach.browser.get('/staff/warnings/print.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('@media print');

    // Caseworkers see drafts; filters narrow the published list by area and type.
    const caseworkerList = await author.browser.get('/staff/warnings');
    expect(caseworkerList.body).toContain('Still a draft');
    const filtered = await author.browser.get('/staff/warnings?type=threats-or-harassment');
    expect(filtered.body).toContain('Live warning for outreach');
    expect(filtered.body).not.toContain('Man in silver Ford, Kings Cross');
    expect(
      (await t.services.warnings.published(orgId, { type: 'threats-or-harassment' })).every(
        (w) => w.type === 'threats-or-harassment',
      ),
    ).toBe(true);
    expect(await t.services.warnings.published(orgId, { area: 'Nowhere' })).toEqual([]);
    const all = await t.services.warnings.published(orgId);
    expect(all.map((w) => w.publishedAt)).toEqual([...all.map((w) => w.publishedAt)].sort().reverse());

    // Police and analysts see nothing of it.
    const police = await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' });
    for (const url of [
      '/staff/warnings',
      '/staff/warnings/print',
      '/staff/warnings/check',
      `/staff/warnings/${liveId}`,
    ])
      expect((await police.browser.get(url)).statusCode, url).toBe(404);
    const analyst = await signedInStaff(t, { role: 'analyst', orgSlug: 'safe-streets' });
    expect((await analyst.browser.get('/staff/warnings')).statusCode).toBe(404);
  });

  it('answers 404 to another organisation, and never matches across organisations', async () => {
    const { reference } = await report();
    const id = await serviceDraft(reference, { phones: ['07700 900555'] });
    const stranger = await signedInStaff(t, { role: 'caseworker', orgSlug: 'other-project' });
    expect((await stranger.browser.get(`/staff/warnings/${id}`)).statusCode).toBe(404);
    await stranger.browser.get('/staff/warnings');
    expect((await stranger.browser.post(`/staff/warnings/${id}/approve`, {})).statusCode).toBe(404);
    expect((await stranger.browser.post(`/staff/warnings/${id}/withdraw`, { reason: 'mine now' })).statusCode).toBe(
      404,
    );
    const fromTheirs = await stranger.browser.get(`/staff/warnings/new?reports=${reference}`);
    expect(fromTheirs.statusCode).toBe(400);
    expect(fromTheirs.body).toContain(`There is no report ${reference} in your organisation`);
    expect(fromTheirs.body).not.toContain('dave_drives');
    const token = (
      await t.services.apiTokens.create(
        { orgSlug: 'other-project', role: 'caseworker', name: 'Theirs' },
        { kind: 'system' },
      )
    ).token;
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/v1/warnings/${id}/approve`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.statusCode).toBe(404);
    const draftFromTheirs = await t.app.inject({
      method: 'POST',
      url: '/api/v1/warnings',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ reports: [reference], title: 'x', body: 'y', type: 'other' }),
    });
    expect(draftFromTheirs.statusCode).toBe(404);
    await t.services.warnings.approve(actor(approver), id);
    expect(await t.services.warnings.check(otherOrgId, readable('07700 900555'))).toEqual([]);
    expect(await t.services.warnings.published(otherOrgId)).toEqual([]);
  });

  it('keeps what was typed when the draft has problems, and will not publish without consent to warn others', async () => {
    const { reference } = await report({
      consents: {
        support: true,
        warnOthers: false,
        policeIntelligence: false,
        policeReport: false,
        policeContact: false,
      },
    });
    const editor = await author.browser.get(`/staff/warnings/new?reports=${reference}`);
    expect(editor.body).toContain('has not agreed to this report being used to warn others');
    const bad = await author.browser.post(
      '/staff/warnings/new',
      draftFields(reference, { title: '', phones: '07700 900123\nnot-a-phone', registrations: '??' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a title');
    expect(bad.body).toContain('is not a phone number');
    expect(bad.body).toContain('is not a registration');
    expect(bad.body).toContain('Tattoo of a snake on his left hand');
    expect(bad.body).toContain('govuk-error-summary');
    const before = await t.services.db.selectFrom('warnings').select('id').execute();
    const id = await draftThroughPage(author, reference);
    expect((await t.services.db.selectFrom('warnings').select('id').execute()).length).toBe(before.length + 1);
    const refused = await approver.browser.get(`/staff/warnings/${id}`);
    expect(refused.body).toContain(`The person who made report ${reference} has not agreed`);
    const res = await approver.browser.post(`/staff/warnings/${id}/approve`, {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('has not agreed to it being used to warn others');
    // They agree later (in person): now it can be published.
    const reportId = (await t.services.reports.idOf(orgId, reference))!;
    await t.services.reports.changeConsent(reportId, 'warnOthers', true, 'in-person', author.userId);
    await approver.browser.get(`/staff/warnings/${id}`);
    expect((await approver.browser.post(`/staff/warnings/${id}/approve`, {})).statusCode).toBe(303);

    // Withdrawing needs a reason; then it is no longer shown or matched.
    const noReason = await approver.browser.post(`/staff/warnings/${id}/withdraw`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the warning is being withdrawn');
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).toContain(id);
    expect(
      (await approver.browser.post(`/staff/warnings/${id}/withdraw`, { reason: 'Mistaken identity' })).statusCode,
    ).toBe(303);
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).not.toContain(id);
    expect((await t.services.warnings.check(orgId, readable('07700 900123'))).map((m) => m.id)).not.toContain(id);
    const page = await approver.browser.get(`/staff/warnings/${id}`);
    expect(page.body).toContain('Withdrawn because');
    expect(page.body).toContain('Mistaken identity');
    const list = await author.browser.get('/staff/warnings');
    expect(list.body).toMatch(/id="ended"[\s\S]*Man in silver Ford, Kings Cross[\s\S]*withdrawn/);
    expect(
      JSON.stringify(await t.services.db.selectFrom('warnings').select('withdrawn_reason_enc').execute()),
    ).not.toContain('Mistaken identity');
  });

  it('queues what follows a publication inside the approval: a failure there leaves the warning a draft', async () => {
    const { reference } = await report();
    const s = t.services;
    const { WarningService } = await import('./warningService.ts');
    const draftInput = {
      reports: [reference],
      title: 'Hooked',
      body: 'b',
      type: 'other' as const,
      area: null,
      phones: [],
      registrations: [],
      handles: [],
      vehicle: '',
      description: '',
    };
    const failing = new WarningService(s.db, s.cipher, s.audit, s.reports, s.consent, s.organisations, s.now, {
      onPublished: async () => {
        throw new Error('could not queue');
      },
    });
    const id = await failing.draft(actor(author), draftInput);
    await expect(failing.approve(actor(approver), id)).rejects.toThrow('could not queue');
    expect((await s.warnings.published(orgId)).map((w) => w.id)).not.toContain(id);

    // The service as composed queues the alert job in the same transaction as the approval.
    const published = await s.warnings.approve(actor(approver), id);
    const job = await s.db
      .selectFrom('jobs')
      .select(['type', 'payload'])
      .where('type', '=', 'member-alerts.fan-out')
      .execute();
    expect(job.map((j) => JSON.parse(j.payload) as unknown)).toContainEqual({ warningId: published.id, orgId });
  });

  it('rate-limits the checker', async () => {
    const checker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const page = (await checker.browser.get('/staff/warnings/check')).body;
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++)
      statuses.push((await checker.browser.post('/staff/warnings/check', { value: '07700 900999' }, page)).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses).toContain(429);
  });

  // Last: it moves the clock a year on.
  it('expires 12 months after publication: then neither listed nor matched', async () => {
    const { reference } = await report();
    const id = await serviceDraft(reference, { phones: ['07700 900888'], registrations: ['EX?? PRD'] });
    const published = await t.services.warnings.approve(actor(approver), id);
    const expiry = Date.parse(published.expiresAt);
    t.clock.advance(expiry - 86_400_000 - t.clock.now().getTime());
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).toContain(id);
    expect((await t.services.warnings.check(orgId, readable('07700 900888'))).map((m) => m.id)).toEqual([id]);
    t.clock.advance(2 * 86_400_000);
    expect((await t.services.warnings.published(orgId)).map((w) => w.id)).not.toContain(id);
    expect(await t.services.warnings.check(orgId, readable('07700 900888'))).toEqual([]);
    expect(await t.services.warnings.check(orgId, readable('EX12 PRD'))).toEqual([]);
    const overview = await t.services.warnings.overview(orgId);
    expect(overview.ended.find((w) => w.id === id)?.state).toBe('expired');
    expect(overview.active).toEqual([]);
  });
});
