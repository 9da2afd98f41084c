import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import type { ConsentState } from '../consent/consentLedger.ts';

const NONE: ConsentState = {
  support: true,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};
const ALL: ConsentState = {
  support: true,
  warnOthers: true,
  policeIntelligence: true,
  policeReport: true,
  policeContact: true,
};

describe.each(testDatabases)('"Check your report" tells the truth on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let supervisor: SignedInStaff;
  let officer: SignedInStaff;
  let caseworker: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    ({ liaison, supervisor, officer } = await policeLiaisonStaff(t));
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
  }, 120_000);
  afterAll(async () => t.close());

  const as = (who: SignedInStaff): Actor => ({ kind: 'user', id: who.userId, orgId: who.orgId });

  async function report(consents: ConsentState, account = 'He hit me by the old mill') {
    const submitted = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account,
        occurredOn: '2026-11-02',
        area: 'Station Road',
        consents,
        perpetrator: { names: ['Big Steve'], phones: ['07700900111'], emails: [], handles: [] },
        contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const person = new TestBrowser(t.app);
    await person.get('/check');
    expect((await person.post('/check', { code: submitted.receiptCode! })).headers.location).toBe('/check/report');
    return { ...submitted, code: submitted.receiptCode!, person };
  }

  const section = (html: string, id: string) =>
    new RegExp(`id="${id}">([\\s\\S]*?)</ul>`).exec(html)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
  const selfApi = (code: string) =>
    t.app.inject({ url: '/api/v1/reports/self', headers: { authorization: `Receipt ${code}` } });

  it('says what was shared with the police: before, after intelligence, after an accepted full report, after taking it back', async () => {
    const { person, reportId, code } = await report(ALL);
    const before = section((await person.get('/check/report')).body, 'shared-police');
    expect(before).toContain(
      'Nothing from your report has been shared with the police. You have said it may be, but nothing has been sent.',
    );

    await t.services.referrals.send(as(liaison), reportId, {
      force: 'northshire',
      level: 'intelligence',
      summary: 'A man called Big Steve hit a worker near Station Road in November 2026.',
    });
    const afterIntelligence = section((await person.get('/check/report')).body, 'shared-police');
    expect(afterIntelligence).toMatch(
      /we shared what happened \(without your name or contact details\) with Northshire Police\. Northshire Police has not answered yet\./,
    );
    expect(afterIntelligence).not.toContain('Nothing from your report');

    const full = await t.services.referrals.send(as(liaison), reportId, { force: 'northshire', level: 'full' });
    await t.services.referrals.accept({ ...as(supervisor), role: 'supervisor' }, full, {
      crimeReference: 'NS/4242/26',
      officer: officer.userId,
    });
    const afterFull = section((await person.get('/check/report')).body, 'shared-police');
    expect(afterFull).toMatch(
      /we shared your full report \(with your name and contact details, if you gave them\) with Northshire Police\. Northshire Police accepted it\./,
    );

    await person.get('/check/report');
    const taken = await person.post('/check/consents', { scope: 'policeReport', given: 'no' });
    expect(taken.headers.location).toBe('/check/report?done=withdrawn&scope=policeReport');
    const page = (await person.follow(taken)).body;
    const afterWithdrawal = section(page, 'shared-police');
    expect(afterWithdrawal).toMatch(
      /You took this back on \d+ \w+ 2026: since then Northshire Police cannot open it in our system\. What they already saw or copied stays with them\./,
    );
    // Four different, true statements.
    expect(new Set([before, afterIntelligence, afterFull, afterWithdrawal]).size).toBe(4);
    // The banner says truthfully what taking it back stopped, and that what was given stays with the police.
    expect(page).toContain('govuk-notification-banner--success');
    expect(page).toMatch(
      /You took back “Help to report it to the police”\. Nothing more will be shared with the police with your name\. Northshire Police can no longer open what we shared with them in our system\./,
    );

    const api = (await selfApi(code)).json() as { progress: { at: string; kind: string; text: string }[] };
    expect(api.progress.map((p) => p.kind)).toEqual([
      'choice-withdrawn',
      'choice-withdrawn',
      'referral-accepted',
      'referral-sent',
      'referral-sent',
      'received',
    ]);
    expect(api.progress[0]!.text).toContain('“The police may contact me directly” ended too');
    expect(Object.keys(api.progress[0]!).sort()).toEqual(['at', 'kind', 'text']);
    // Documented in the OpenAPI file, generated from the response schema.
    const openApi = JSON.stringify((await t.app.inject('/api/v1/openapi.json')).json());
    expect(openApi).toMatch(/"progress":\{"type":"array","items":\{"type":"object","properties":\{"at":/);
  });

  it('shows each published warning made from the report, as members see it', async () => {
    const { person, reference } = await report(ALL);
    const author = { kind: 'token' as const, id: 'author-token', orgId: liaison.orgId };
    const id = await t.services.warnings.draft(author, {
      reports: [reference],
      title: 'Man called Big Steve near Station Road',
      body: 'Hits workers. Do not get in his car.',
      type: 'physical-assault',
      area: null,
      phones: [],
      registrations: [],
      handles: [],
      vehicle: '',
      description: '',
    });
    await t.services.warnings.approve({ kind: 'token', id: 'approver-token', orgId: liaison.orgId }, id);
    const page = (await person.get('/check/report')).body;
    expect(section(page, 'shared-warnings')).toContain(
      '“Man called Big Steve near Station Road. Hits workers. Do not get in his car.” It is still shown to other workers.',
    );
    expect(page).toContain('data-kind="warning-published"');
  });

  it('asks "Are you sure?" before giving the police anything, then confirms with a success banner', async () => {
    const { person, reportId } = await report(NONE);
    await person.get('/check/report');
    const ask = await person.post('/check/consents', { scope: 'policeIntelligence', given: 'yes' });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Are you sure?');
    expect(ask.body).toContain('without your name or contact details');
    expect((await t.services.consent.current(reportId)).policeIntelligence).toBe(false);

    const yes = await person.post('/check/consents', { scope: 'policeIntelligence', given: 'yes', confirm: 'yes' });
    expect(yes.headers.location).toBe('/check/report?done=given&scope=policeIntelligence');
    expect((await t.services.consent.current(reportId)).policeIntelligence).toBe(true);
    const page = (await person.follow(yes)).body;
    expect(page).toContain('govuk-notification-banner--success');
    expect(page).toContain('You agreed to “Tell the police without my name”');

    // A choice that gives the police nothing takes effect without the extra step.
    expect((await person.post('/check/consents', { scope: 'warnOthers', given: 'yes' })).headers.location).toBe(
      '/check/report?done=given&scope=warnOthers',
    );
    // Taking back, with nothing yet shared: the banner says so.
    await person.get('/check/report');
    const back = await person.follow(
      await person.post('/check/consents', { scope: 'policeIntelligence', given: 'no' }),
    );
    expect(back.body).toContain('Nothing had been shared with the police at this level.');
    // A link cannot claim a change that did not happen.
    expect((await person.get('/check/report?done=given&scope=policeReport')).body).not.toContain(
      'govuk-notification-banner',
    );
  });

  it('"Sign out" only signs out; "I want to stop" and "delete" are confirmed, recorded once, audited and seen by staff', async () => {
    const { person, reportId, reference, code } = await report(ALL);
    await t.services.referrals.send(as(liaison), reportId, { force: 'northshire', level: 'full' });
    const page = (await person.get('/check/report')).body;
    expect(page).toContain('Sign out');
    expect(page).not.toContain('Close my report');

    const confirm = await person.get('/check/stop');
    expect(confirm.body).toContain('What was already shared with the police stays with the police.');
    // Stopping withdraws support only, and the page says which other choices still stand.
    expect(confirm.body).toContain(
      'You still agree to: Warn others about this person; Tell the police without my name; Help to report it to the police; The police may contact me directly.',
    );
    const stop = await person.post('/check/stop', {});
    expect(stop.headers.location).toBe('/check/report?done=stop');
    const stopped = (await person.follow(stop)).body;
    expect(stopped).toContain('You asked us to stop working on your report');
    expect(await t.services.consent.current(reportId)).toMatchObject({ support: false });
    expect(await t.services.engagement.current(reportId)).toMatchObject({ status: 'withdrawn', wantsSupport: 'no' });
    // Asking again changes nothing.
    expect((await person.get('/check/stop')).body).toContain(
      'You already asked for this. Asking again changes nothing.',
    );
    await person.post('/check/stop', {}, stopped);
    const requests = await t.services.db
      .selectFrom('person_requests')
      .selectAll()
      .where('report_id', '=', reportId)
      .execute();
    expect(requests.map((r) => r.kind)).toEqual(['stop']);
    expect(
      await t.services.db.selectFrom('engagement_changes').select('id').where('report_id', '=', reportId).execute(),
    ).toHaveLength(1);

    await person.get('/check/delete');
    expect((await person.post('/check/delete', {})).headers.location).toBe('/check/report?done=delete');
    await person.post('/check/delete', {}, stopped);
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select('action')
      .where('target_id', '=', reportId)
      .where('action', 'in', ['report.stop-requested', 'report.deletion-requested'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['report.deletion-requested', 'report.stop-requested']);

    const api = (await selfApi(code)).json() as { progress: { kind: string; text: string }[] };
    expect(api.progress[0]).toMatchObject({ kind: 'deletion-requested' });
    expect(api.progress[0]!.text).toContain('What was already shared with the police stays with the police.');
    expect(api.progress.map((p) => p.kind)).toContain('stop-requested');

    const casePage = (await caseworker.browser.get(`/staff/reports/${reference}`)).body;
    expect(casePage).toContain('The person asked the charity to stop working on this report');
    expect(casePage).toContain('The person asked for this report to be deleted');
    expect(casePage).toContain('Engagement: withdrawn');
    const inbox = (await caseworker.browser.get(`/staff/reports?q=${reference}`)).body;
    expect(inbox).toContain('Asked to stop');
  });

  it('follows the case: read, looked after, updates the liaison passes on, appointments; never notes, case messages or police details', async () => {
    const { person, reportId, reference, code } = await report(ALL, 'He hit me by the canal bridge');
    const unread = (await person.get('/check/report')).body;
    expect(unread).not.toContain('data-kind="read"');
    expect(unread).toContain('A support worker will look at it soon.');
    await caseworker.browser.get(`/staff/reports/${reference}`);
    // Read but not yet triaged: the status sentence no longer promises what has happened.
    const read = (await person.get('/check/report')).body;
    expect(read).toContain('We have your report and someone at the charity has read it.');
    expect(read).not.toContain('look at it soon');
    await t.services.triage.apply(as(caseworker), reportId, {
      status: 'open',
      priority: 'high',
      flags: ['repeat-victim'],
      assignee: caseworker.userId,
      reason: '',
    });
    expect((await person.get('/check/report')).body).toContain('A caseworker is looking after your report.');

    await caseworker.browser.get('/staff/shown-name');
    expect((await caseworker.browser.post('/staff/shown-name', { shownName: 'Kerina Smith' })).statusCode).toBe(400);
    expect((await caseworker.browser.post('/staff/shown-name', { shownName: 'Kerina' })).statusCode).toBe(303);

    await t.services.caseWork.addNote(as(caseworker), reportId, 'NOTE-SECRET she seemed frightened of her partner');
    const referralId = await t.services.referrals.send(as(liaison), reportId, { force: 'northshire', level: 'full' });
    const caseId = await t.services.referrals.accept({ ...as(supervisor), role: 'supervisor' }, referralId, {
      crimeReference: 'NS/777/26',
      officer: officer.userId,
    });
    await t.services.caseMessages.send(caseId, as(officer), 'CASEMSG-SECRET suspect has previous');
    const { dutyId } = await t.services.caseTimeline.recordEvent(caseId, as(officer), {
      type: 'charged',
      occurredAt: t.clock.now().toISOString(),
    });

    // The liaison sees the plain sentence prefilled, edits it and tells the person through Check your report.
    const liaisonPage = await liaison.browser.get(`/staff/cases/${caseId}`);
    expect(liaisonPage.body).toContain('Someone has been charged.');
    const empty = await liaison.browser.post(`/staff/cases/${caseId}/duties/${dutyId}/tell`, { text: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write what the person will read on Check your report');
    await liaison.browser.get(`/staff/cases/${caseId}`);
    expect(
      (
        await liaison.browser.post(`/staff/cases/${caseId}/duties/${dutyId}/tell`, {
          text: 'Someone has been charged. The first court date is not set yet.',
        })
      ).statusCode,
    ).toBe(303);
    const duty = await t.services.db
      .selectFrom('duties')
      .select(['how', 'met_at'])
      .where('id', '=', dutyId!)
      .executeTakeFirstOrThrow();
    expect(duty.how).toBe('check-your-report');
    expect(duty.met_at).not.toBeNull();
    // The police cannot write to the person.
    expect(
      (await officer.browser.post(`/staff/cases/${caseId}/duties/${dutyId}/tell`, { text: 'x' }, liaisonPage.body))
        .statusCode,
    ).not.toBe(303);

    // The same through the API: a liaison token may, a police supervisor token gets 404.
    const second = await t.services.caseTimeline.recordEvent(caseId, as(officer), {
      type: 'first-hearing',
      occurredAt: t.clock.now().toISOString(),
    });
    const tokenFor = async (orgSlug: string, role: 'liaison' | 'supervisor') =>
      (await t.services.apiTokens.create({ orgSlug, role, name: `${role} progress` }, { kind: 'system' })).token;
    const told = (token: string, text: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/duties/${second.dutyId}/told-through-check`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ text }),
      });
    expect((await told(await tokenFor('northshire', 'supervisor'), 'The police write this')).statusCode).toBe(404);
    const liaisonToken = await tokenFor('safe-streets', 'liaison');
    expect((await told(liaisonToken, '')).statusCode).toBe(400);
    expect((await told(liaisonToken, 'The first court hearing has taken place.')).json()).toEqual({
      id: second.dutyId,
      state: 'met',
      how: 'check-your-report',
    });
    expect((await told(liaisonToken, 'Again')).statusCode).toBe(409);

    const { id: appointmentId } = await t.services.appointments.propose(caseId, as(liaison), {
      kind: 'statement',
      venueKind: 'charity-premises',
      venueDetails: 'Drop-in, 4 Mill Lane',
      startsAt: '2030-12-27T10:00:00.000Z',
      attendees: 'DC Example',
      interpreter: false,
      interviewerGender: 'no-preference',
      specialMeasures: [],
    });
    await t.services.appointments.change(appointmentId, as(liaison), { status: 'confirmed', how: 'call' });

    const page = (await person.get('/check/report')).body;
    const happening = page.slice(page.indexOf('id="happening"'), page.indexOf('id="shared"'));
    expect(happening).toContain('The charity read your report.');
    expect(happening).toContain('Kerina is looking after your report.');
    expect(happening).toContain('Someone has been charged. The first court date is not set yet.');
    expect(happening).toContain(
      'Appointment confirmed: giving a statement to the police, on Friday 27 December 2030 at 10:00am, at the charity&#39;s premises (Drop-in, 4 Mill Lane).',
    );
    expect(happening).toContain('Ask to change this');

    // Stored encrypted: the update's words and the shown first name.
    expect(JSON.stringify(await t.services.db.selectFrom('person_updates').selectAll().execute())).not.toContain(
      'first court date',
    );
    expect(JSON.stringify(await t.services.db.selectFrom('users').select('shown_name_enc').execute())).not.toContain(
      'Kerina',
    );

    const api = (await selfApi(code)).json() as { progress: { kind: string; text: string }[] };
    expect(api.progress.map((p) => p.kind)).toEqual([
      'appointment',
      'update',
      'update',
      'referral-accepted',
      'referral-sent',
      'assigned',
      'read',
      'received',
    ]);

    const mine = await person.get('/check/my-report');
    expect(mine.body).toContain('He hit me by the canal bridge');
    expect(mine.body).toContain('/check/my-report/print.css');
    expect(mine.body).toContain('Agreed: Help to report it to the police');
    const css = await person.get('/check/my-report/print.css');
    expect(css.headers['content-type']).toContain('text/css');

    // Never shown to the person: notes, case messages, crime reference, officer, staff email, risk flags.
    for (const body of [page, mine.body, JSON.stringify(api)]) {
      for (const hidden of [
        'NOTE-SECRET',
        'CASEMSG-SECRET',
        'NS/777/26',
        officer.email,
        caseworker.email,
        liaison.email,
        'Repeat victim',
        'DC Example',
      ])
        expect(body).not.toContain(hidden);
    }

    // "Ask to change this": a message in the person's thread and a task for the liaison who confirmed it.
    await person.get('/check/report');
    const asked = await person.post(`/check/appointments/${appointmentId}/change`, {
      wish: 'Mornings are hard, afternoons are better',
    });
    expect(asked.headers.location).toBe('/check/report?done=change');
    const thread = (await person.follow(asked)).body;
    expect(thread).toContain(
      'I would like to change this appointment: giving a statement to the police, on Friday 27 December 2030 at 10:00am.',
    );
    const tasks = await t.services.caseWork.tasks(reportId);
    expect(tasks.find((task) => task.title.startsWith('The person asked to change an appointment'))).toMatchObject({
      owner: liaison.email,
    });
    const wrong = await person.post('/check/appointments/not-an-appointment-id/change', { wish: '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('This appointment can no longer be changed here');
  });
});
