import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { REACH_ME_MESSAGE } from './contactRequests.ts';

describe.each(testDatabases)('liaison–officer messages and contact requests on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let caseworker: SignedInStaff;
  let supervisor: SignedInStaff;
  let officer: SignedInStaff;
  let otherOfficer: SignedInStaff;
  let otherForce: SignedInStaff;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    ({ liaison, supervisor, officer, otherOfficer, otherForce } = await policeLiaisonStaff(t));
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    for (const [name, orgSlug, role] of [
      ['liaison', 'safe-streets', 'liaison'],
      ['north', 'northshire', 'supervisor'],
      ['south', 'southshire', 'supervisor'],
    ] as const) {
      tokens[name] = (await t.services.apiTokens.create({ orgSlug, role, name }, { kind: 'system' })).token;
    }
  }, 120_000);
  afterAll(async () => t.close());

  const as = (who: SignedInStaff): Actor => ({ kind: 'user', id: who.userId, orgId: who.orgId });
  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });

  async function policeCase(opts: { name?: string; sender?: Actor } = {}) {
    const submitted = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['robbery-or-theft'],
        account: 'Took my bag',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
        ...(opts.name ? { contact: { name: opts.name, methods: [] } } : {}),
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const referralId = await t.services.referrals.send(opts.sender ?? as(liaison), submitted.reportId, {
      force: 'northshire',
      level: 'full',
    });
    const caseId = await t.services.referrals.accept({ ...as(supervisor), role: 'supervisor' }, referralId, {
      crimeReference: `NS/${referralId.slice(0, 5)}`,
      officer: officer.userId,
    });
    return { ...submitted, caseId };
  }

  it('carries messages between the liaison and the officer, encrypted and audited, never to the person', async () => {
    const { caseId, receiptCode } = await policeCase();
    const empty = await liaison.browser.post(
      `/staff/cases/${caseId}/messages`,
      { message: '  ' },
      (await liaison.browser.get(`/staff/cases/${caseId}`)).body,
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write the message');
    expect(
      (
        await liaison.browser.post(`/staff/cases/${caseId}/messages`, {
          message: 'She can meet on Tuesday at the drop-in 7731',
        })
      ).headers.location,
    ).toBe(`/staff/cases/${caseId}?saved=message#messages`);
    const police = await officer.browser.get(`/police/cases/${caseId}`);
    expect(police.body).toContain('She can meet on Tuesday at the drop-in 7731');
    expect(police.body).toContain(liaison.email);
    expect(
      (
        await officer.browser.post(`/police/cases/${caseId}/messages`, {
          message: 'Tuesday 10am works, I will bring a female colleague',
        })
      ).statusCode,
    ).toBe(303);
    const thread = await liaison.browser.get(`/staff/cases/${caseId}`);
    expect(thread.body).toMatch(/drop-in 7731[\s\S]*female colleague/);
    // The supervisor reads it too; another officer, another force and the API of another force do not.
    expect((await supervisor.browser.get(`/police/cases/${caseId}`)).body).toContain('female colleague');
    expect(
      (
        await otherOfficer.browser.post(
          `/police/cases/${caseId}/messages`,
          { message: 'x' },
          (await otherOfficer.browser.get('/police/cases')).body,
        )
      ).statusCode,
    ).toBe(404);
    expect((await otherForce.browser.get(`/police/cases/${caseId}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/cases/${caseId}/messages`, tokens.south!)).statusCode).toBe(404);
    await expect(t.services.caseMessages.list(caseId, as(otherOfficer))).rejects.toMatchObject({ code: 'not-found' });

    // Encrypted at rest; every read audited.
    expect(JSON.stringify(await t.services.db.selectFrom('case_messages').selectAll().execute())).not.toContain(
      'drop-in 7731',
    );
    const reads = await t.services.db
      .selectFrom('audit_entries')
      .select('actor_id')
      .where('action', '=', 'case-messages.viewed')
      .where('target_id', '=', caseId)
      .execute();
    expect(reads.map((r) => r.actor_id)).toEqual(
      expect.arrayContaining([liaison.userId, officer.userId, supervisor.userId]),
    );
    expect(
      JSON.stringify(
        await t.services.db.selectFrom('audit_entries').selectAll().where('target_id', '=', caseId).execute(),
      ),
    ).not.toContain('drop-in 7731');

    // The API: both sides' tokens.
    const sent = await call('POST', `/api/v1/cases/${caseId}/messages`, tokens.north!, {
      body: 'From the force system',
    });
    expect(sent.statusCode).toBe(201);
    expect((await call('POST', `/api/v1/cases/${caseId}/messages`, tokens.north!, { body: '' })).statusCode).toBe(400);
    const listed = await call('GET', `/api/v1/cases/${caseId}/messages`, tokens.liaison!);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((m: { side: string; body: string }) => [m.side, m.body])).toEqual([
      ['support', 'She can meet on Tuesday at the drop-in 7731'],
      ['police', 'Tuesday 10am works, I will bring a female colleague'],
      ['police', 'From the force system'],
    ]);
    expect(listed.json().items[2].from).toBe('API: north');

    // The person checking their report with the receipt code never sees any of it.
    const person = new TestBrowser(t.app);
    await person.get('/check');
    expect((await person.post('/check', { code: receiptCode! })).headers.location).toBe('/check/report');
    const check = await person.get('/check/report');
    expect(check.statusCode).toBe(200);
    for (const hidden of ['7731', 'female colleague', 'From the force system', 'NS/'])
      expect(check.body).not.toContain(hidden);
  });

  it('turns a contact request into a task for the liaison and, with no way to reach them, a reach-me entry; the police see only that it is with the charity', async () => {
    const { caseId, reportId, reference } = await policeCase({ name: 'Ruby Example' });
    const page = await officer.browser.get(`/police/cases/${caseId}`);
    const asked = await officer.browser.post(
      `/police/cases/${caseId}/contact-requests`,
      { contactReason: 'We need a statement about the second man' },
      page.body,
    );
    expect(asked.headers.location).toBe(`/police/cases/${caseId}?saved=contact#contact`);
    const after = await officer.browser.get(asked.headers.location as string);
    expect(after.body).toContain('Your request is with Safe Streets');
    expect(after.body).toContain('With the support organisation');
    for (const hidden of ['reach-me', 'person record', 'Ruby', liaison.email + '</', 'Task for'])
      expect(after.body).not.toContain(hidden);

    // The report had no person: one was made with the name they gave, and put on the reach-me list.
    const report = await t.services.db
      .selectFrom('reports')
      .select(['person_id'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    expect(report.person_id).not.toBeNull();
    expect(await t.services.people.workingName(liaison.orgId, report.person_id!)).toBe('Ruby Example');
    const outreach = await t.services.reachMe.openList(as(liaison));
    expect(outreach).toEqual(
      expect.arrayContaining([expect.objectContaining({ workingName: 'Ruby Example', message: REACH_ME_MESSAGE })]),
    );
    // The task is the liaison's (who sent the referral; nobody is assigned), due the next working day.
    const tasks = await t.services.caseWork.myTasks(liaison.orgId, liaison.userId);
    expect(tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reference, title: expect.stringContaining('Police ask to contact the person') }),
      ]),
    );
    const casePage = await liaison.browser.get(`/staff/cases/${caseId}`);
    expect(casePage.body).toContain('We need a statement about the second man');
    expect(casePage.body).toContain(`Task for ${liaison.email}`);
    expect(casePage.body).toContain('A person record was made for the report.');
    expect(casePage.body).toContain('On the outreach reach-me list.');
    // The force's audit entry says only that it asked.
    const policeAudit = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'police-case.contact-requested')
      .where('target_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(policeAudit.org_id).toBe(officer.orgId);
    expect(Object.keys(JSON.parse(policeAudit.detail))).toEqual(['requestId']);
    expect(JSON.stringify(await t.services.db.selectFrom('case_contact_requests').selectAll().execute())).not.toContain(
      'second man',
    );

    // Asking again keeps one reach-me entry.
    await officer.browser.post(`/police/cases/${caseId}/contact-requests`, { contactReason: '' }, after.body);
    expect(
      (await t.services.reachMe.forPerson(liaison.orgId, report.person_id!)).filter((e) => e.closedAt === null),
    ).toHaveLength(1);
  });

  it('gives the task to the assignee, adds no reach-me entry when a contact point works, and names a nameless person from the report', async () => {
    // A person with a working contact point, and a caseworker assigned: the task is the caseworker's, and no reach-me entry.
    const reached = await policeCase({ name: 'Jo' });
    const person = await t.services.people.create(
      as(caseworker),
      { workingName: 'Jo', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
      reached.reportId,
    );
    await t.services.people.addContactPoint(as(caseworker), person.id, {
      kind: 'mobile',
      value: '07700900123',
      safeToLeaveMessage: true,
      safeTimes: undefined,
      codeWord: undefined,
    });
    await t.services.triage.apply(as(caseworker), reached.reportId, {
      status: 'open',
      priority: 'normal',
      flags: [],
      assignee: caseworker.userId,
      reason: '',
    });
    const viaApi = await call('POST', `/api/v1/cases/${reached.caseId}/contact-requests`, tokens.north!, {
      reason: 'Court date',
    });
    expect(viaApi.statusCode).toBe(201);
    expect(viaApi.json()).toEqual({
      id: expect.any(String),
      requestedAt: expect.any(String),
      status: 'with-support-organisation',
    });
    expect(
      (await t.services.caseWork.myTasks(caseworker.orgId, caseworker.userId)).map((task) => task.reference),
    ).toContain(reached.reference);
    expect(await t.services.reachMe.forPerson(liaison.orgId, person.id)).toEqual([]);

    // No name on the report, sent by an API token, nobody assigned: "Person from report R-…", the task for the first liaison officer.
    const nameless = await policeCase({ sender: { kind: 'token', id: 'liaison-token', orgId: liaison.orgId } });
    expect(
      (await call('POST', `/api/v1/cases/${nameless.caseId}/contact-requests`, tokens.north!, {})).statusCode,
    ).toBe(201);
    const { person_id } = await t.services.db
      .selectFrom('reports')
      .select('person_id')
      .where('id', '=', nameless.reportId)
      .executeTakeFirstOrThrow();
    expect(await t.services.people.workingName(liaison.orgId, person_id!)).toBe(
      `Person from report ${nameless.reference}`,
    );
    expect((await t.services.caseWork.myTasks(liaison.orgId, liaison.userId)).map((task) => task.reference)).toContain(
      nameless.reference,
    );

    // Only the police ask: the charity's token and pages cannot, another force cannot.
    expect(
      (await call('POST', `/api/v1/cases/${reached.caseId}/contact-requests`, tokens.liaison!, {})).statusCode,
    ).toBe(404);
    expect((await call('POST', `/api/v1/cases/${reached.caseId}/contact-requests`, tokens.south!, {})).statusCode).toBe(
      404,
    );
    expect(
      (
        await liaison.browser.post(
          `/police/cases/${reached.caseId}/contact-requests`,
          {},
          (await liaison.browser.get('/staff/duties')).body,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', `/api/v1/cases/${reached.caseId}/contact-requests`, tokens.north!, {
          reason: 'x'.repeat(2001),
        })
      ).statusCode,
    ).toBe(400);

    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/cases/{caseId}/messages', '/api/v1/cases/{caseId}/contact-requests']),
    );
    expect(Object.keys(doc.paths['/api/v1/cases/{caseId}/messages'])).toEqual(expect.arrayContaining(['get', 'post']));
  });
});
