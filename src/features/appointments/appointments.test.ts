import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { addCalendarDays, londonDate } from '../calendar/workingDays.ts';
import type { ProposeInput } from './appointmentService.ts';

describe.each(testDatabases)('safe-place appointments on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let caseworker: SignedInStaff;
  let supervisor: SignedInStaff;
  let officer: SignedInStaff;
  let otherOfficer: SignedInStaff;
  let otherForce: SignedInStaff;
  let otherCharity: SignedInStaff;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Help', slug: 'other-help' },
      { kind: 'system' },
    );
    ({ liaison, supervisor, officer, otherOfficer, otherForce } = await policeLiaisonStaff(t));
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    otherCharity = await signedInStaff(t, { role: 'liaison', orgSlug: 'other-help' });
    for (const [name, orgSlug, role] of [
      ['liaison', 'safe-streets', 'liaison'],
      ['caseworker', 'safe-streets', 'caseworker'],
      ['outreach', 'safe-streets', 'outreach'],
      ['north', 'northshire', 'supervisor'],
      ['south', 'southshire', 'supervisor'],
      ['other', 'other-help', 'liaison'],
    ] as const) {
      tokens[name] = (await t.services.apiTokens.create({ orgSlug, role, name }, { kind: 'system' })).token;
    }
  }, 120_000);
  afterAll(async () => t.close());

  const as = (who: SignedInStaff): Actor => ({ kind: 'user', id: who.userId, orgId: who.orgId });
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });

  async function policeCase(opts: { assignee?: string } = {}) {
    const submitted = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'Hit outside the pub',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: true,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
        contact: { name: 'Ruby Example', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    if (opts.assignee)
      await t.services.triage.apply(as(caseworker), submitted.reportId, {
        status: 'open',
        priority: 'normal',
        flags: [],
        assignee: opts.assignee,
        reason: '',
      });
    const referralId = await t.services.referrals.send(as(liaison), submitted.reportId, {
      force: 'northshire',
      level: 'full',
    });
    const caseId = await t.services.referrals.accept({ ...as(supervisor), role: 'supervisor' }, referralId, {
      crimeReference: `NS/${referralId.slice(0, 6)}`,
      officer: officer.userId,
    });
    return { ...submitted, caseId };
  }

  const proposal = (over: Partial<ProposeInput> = {}): ProposeInput => ({
    kind: 'statement',
    venueKind: 'charity-premises',
    venueDetails: 'Safe Streets drop-in, 4 Mill Lane, ask for Sam',
    startsAt: '2030-12-27T10:00:00.000Z',
    attendees: 'DC Officer and the liaison officer',
    interpreter: true,
    interpreterLanguage: 'Polish',
    interviewerGender: 'female',
    specialMeasures: ['screens', 'live-link'],
    specialMeasuresNote: 'Would like breaks every hour',
    ...over,
  });

  it('lets the officer and the liaison propose; both sides see them, the police station is flagged, text is encrypted and views are audited', async () => {
    const { caseId, receiptCode } = await policeCase();
    const byPolice = await t.services.appointments.propose(
      caseId,
      as(officer),
      proposal({ venueKind: 'police-station', venueDetails: 'Central police station, Victoria Street' }),
    );
    const byLiaison = await t.services.appointments.propose(
      caseId,
      as(liaison),
      proposal({
        kind: 'abe-interview',
        startsAt: '2030-03-04T10:00:00.000Z',
        venueKind: 'home',
        venueDetails: '12 Hidden Road 55713',
      }),
    );

    const { items } = await t.services.appointments.list(caseId, as(supervisor));
    expect(items.map((a) => [a.id, a.kind, a.status, a.proposedSide])).toEqual([
      [byLiaison.id, 'abe-interview', 'proposed', 'support'],
      [byPolice.id, 'statement', 'proposed', 'police'],
    ]);
    expect(items[1]).toMatchObject({
      venueWarning: 'The person may not feel safe here',
      interpreter: true,
      interpreterLanguage: 'Polish',
      interviewerGender: 'female',
      specialMeasures: ['screens', 'live-link'],
      startsLabel: 'Friday 27 December 2030 at 10:00',
    });
    // The police never get the address of the person's home; the charity does.
    expect(items[0]!.venueDetails).toBeNull();
    expect((await t.services.appointments.list(caseId, as(liaison))).items[0]!.venueDetails).toBe(
      '12 Hidden Road 55713',
    );

    // The pages: the flag is shown on both sides and on the form that offers a police station.
    const policePage = await officer.browser.get(`/police/cases/${caseId}/appointments`);
    expect(policePage.statusCode).toBe(200);
    expect(policePage.body).toContain('Police station: The person may not feel safe here.');
    expect(policePage.body).toMatch(/value="police-station"[\s\S]{0,400}The person may not feel safe here/);
    expect(policePage.body).toContain('the address is kept by Safe Streets');
    for (const hidden of ['55713', 'Hidden Road', 'Ruby', '07700900456']) expect(policePage.body).not.toContain(hidden);
    const staffPage = await caseworker.browser.get(`/staff/cases/${caseId}/appointments`);
    expect(staffPage.statusCode).toBe(200);
    expect(staffPage.body).toContain('Police station: The person may not feel safe here.');
    expect(staffPage.body).toContain('12 Hidden Road 55713');
    expect(staffPage.body).toContain('Confirm with the person');
    expect(policePage.body).not.toContain('Confirm with the person');

    // Encrypted at rest; reads audited for each reader.
    const stored = JSON.stringify(
      await t.services.db.selectFrom('appointments').selectAll().where('case_id', '=', caseId).execute(),
    );
    for (const secret of ['Hidden Road 55713', 'Victoria Street', 'Polish', 'breaks every hour', 'DC Officer'])
      expect(stored).not.toContain(secret);
    const reads = await t.services.db
      .selectFrom('audit_entries')
      .select('actor_id')
      .where('action', '=', 'appointments.viewed')
      .where('target_id', '=', caseId)
      .execute();
    expect(reads.map((r) => r.actor_id)).toEqual(
      expect.arrayContaining([supervisor.userId, liaison.userId, officer.userId, caseworker.userId]),
    );
    expect(
      JSON.stringify(
        await t.services.db.selectFrom('audit_entries').selectAll().where('target_id', '=', caseId).execute(),
      ),
    ).not.toContain('Hidden Road');

    // The person checking their report sees none of it.
    const { TestBrowser } = await import('../../../test/support/httpClient.ts');
    const person = new TestBrowser(t.app);
    await person.get('/check');
    await person.post('/check', { code: receiptCode! });
    const check = await person.get('/check/report');
    expect(check.statusCode).toBe(200);
    for (const hidden of ['55713', 'Victoria Street', 'appointment confirmed', 'ask to change this'])
      expect(check.body.toLowerCase()).not.toContain(hidden.toLowerCase());
  });

  it('gives other forces, other charities and officers not in the case 404, and changes nothing', async () => {
    const { caseId } = await policeCase();
    const { id } = await t.services.appointments.propose(caseId, as(officer), proposal());
    for (const who of [otherOfficer, otherForce, otherCharity]) {
      await expect(t.services.appointments.list(caseId, as(who))).rejects.toMatchObject({ code: 'not-found' });
      await expect(t.services.appointments.propose(caseId, as(who), proposal())).rejects.toMatchObject({
        code: 'not-found',
      });
      await expect(
        t.services.appointments.change(id, as(who), { status: 'cancelled-by-police' }),
      ).rejects.toMatchObject({ code: 'not-found' });
    }
    expect((await otherOfficer.browser.get(`/police/cases/${caseId}/appointments`)).statusCode).toBe(404);
    expect((await otherForce.browser.get(`/police/cases/${caseId}/appointments`)).statusCode).toBe(404);
    expect((await otherCharity.browser.get(`/staff/cases/${caseId}/appointments`)).statusCode).toBe(404);
    // The wrong side's pages: the police cannot open the charity's page, and the reverse.
    expect((await officer.browser.get(`/staff/cases/${caseId}/appointments`)).statusCode).toBe(404);
    expect((await liaison.browser.get(`/police/cases/${caseId}/appointments`)).statusCode).toBe(404);
    // An appointment id under another case's page is 404.
    const other = await policeCase();
    const page = await officer.browser.get(`/police/cases/${other.caseId}/appointments`);
    expect(
      (
        await officer.browser.post(
          `/police/cases/${other.caseId}/appointments/${id}/outcome`,
          { outcome: 'cancelled-by-police' },
          page.body,
        )
      ).statusCode,
    ).toBe(404);
    // API: another force, another charity, a role the rule does not admit.
    for (const token of [tokens.south!, tokens.other!]) {
      expect((await call('GET', `/api/v1/cases/${caseId}/appointments`, token)).statusCode).toBe(404);
      expect(
        (await call('PATCH', `/api/v1/appointments/${id}`, token, { status: 'cancelled-by-police' })).statusCode,
      ).toBe(404);
    }
    expect((await call('GET', `/api/v1/cases/${caseId}/appointments`, tokens.outreach!)).statusCode).toBe(404);
    const row = await t.services.db
      .selectFrom('appointments')
      .select(['outcome', 'confirmed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: null, confirmed_at: null });
    expect(
      await t.services.db.selectFrom('appointments').select('id').where('case_id', '=', caseId).execute(),
    ).toHaveLength(1);
  });

  it('refuses bad input with a clear message and changes nothing, keeping what was typed', async () => {
    const { caseId } = await policeCase();
    const count = async () =>
      (await t.services.db.selectFrom('appointments').select('id').where('case_id', '=', caseId).execute()).length;
    await expect(
      t.services.appointments.propose(caseId, as(liaison), proposal({ startsAt: '2020-01-01T10:00:00Z' })),
    ).rejects.toMatchObject({ code: 'invalid', field: 'startsAt' });
    await expect(
      t.services.appointments.propose(caseId, as(liaison), proposal({ interpreterLanguage: undefined })),
    ).rejects.toMatchObject({ code: 'invalid', field: 'interpreterLanguage' });
    await expect(
      t.services.appointments.propose(caseId, as(liaison), proposal({ venueKind: 'other', venueDetails: '' })),
    ).rejects.toMatchObject({ code: 'invalid', field: 'venueDetails' });

    const form = await caseworker.browser.get(`/staff/cases/${caseId}/appointments`);
    const typed = {
      kind: 'statement',
      venueKind: 'sarc',
      venueDetails: 'The Haven 8841',
      startsOn: '2030-02-30',
      startsTime: '10:00',
      interpreter: 'no',
      interviewerGender: 'female',
      specialMeasures: ['screens', 'intermediary'],
      attendees: 'ISVA',
    };
    const bad = await caseworker.browser.post(`/staff/cases/${caseId}/appointments`, typed, form.body);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter a real date and time');
    expect(bad.body).toContain('The Haven 8841');
    expect(bad.body).toMatch(/value="intermediary" checked/);
    const noLanguage = await caseworker.browser.post(
      `/staff/cases/${caseId}/appointments`,
      { ...typed, startsOn: '2030-02-28', interpreter: 'yes' },
      form.body,
    );
    expect(noLanguage.statusCode).toBe(400);
    expect(noLanguage.body).toContain('Say which language the interpreter is for');
    const past = await caseworker.browser.post(
      `/staff/cases/${caseId}/appointments`,
      { ...typed, startsOn: '2021-02-28' },
      form.body,
    );
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The appointment must start in the future');
    expect(await count()).toBe(0);

    const good = await caseworker.browser.post(
      `/staff/cases/${caseId}/appointments`,
      { ...typed, startsOn: '2030-02-28' },
      form.body,
    );
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe(`/staff/cases/${caseId}/appointments?saved=proposed`);
    expect(await count()).toBe(1);
    const { items } = await t.services.appointments.list(caseId, as(liaison));
    expect(items[0]).toMatchObject({
      venueKind: 'sarc',
      venueDetails: 'The Haven 8841',
      specialMeasures: ['screens', 'intermediary'],
      interpreter: false,
      startsAt: '2030-02-28T10:00:00.000Z',
    });

    // Confirm form without a choice: 400, nothing confirmed.
    const page = await liaison.browser.get(`/staff/cases/${caseId}/appointments`);
    const noHow = await liaison.browser.post(
      `/staff/cases/${caseId}/appointments/${items[0]!.id}/confirm`,
      { how: '', note: 'Kept note' },
      page.body,
    );
    expect(noHow.statusCode).toBe(400);
    expect(noHow.body).toContain('Choose how the person confirmed it');
    expect(noHow.body).toContain('Kept note');
    expect(
      (
        await t.services.db
          .selectFrom('appointments')
          .select('confirmed_at')
          .where('id', '=', items[0]!.id)
          .executeTakeFirstOrThrow()
      ).confirmed_at,
    ).toBeNull();
  });

  it('confirming makes a reminder task due the working day before, across weekends and bank holidays, for the assignee or the confirmer', async () => {
    // Nobody assigned: the task is the confirmer's. Tuesday after Easter 2030: Thursday 18 April (Good Friday, the weekend and Easter Monday skipped).
    const unassigned = await policeCase();
    const easter = await t.services.appointments.propose(
      unassigned.caseId,
      as(officer),
      proposal({ startsAt: '2030-04-23T09:00:00.000Z' }),
    );
    const page = await liaison.browser.get(`/staff/cases/${unassigned.caseId}/appointments`);
    const confirmed = await liaison.browser.post(
      `/staff/cases/${unassigned.caseId}/appointments/${easter.id}/confirm`,
      { how: 'call', note: 'She will bring her sister' },
      page.body,
    );
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(
      `/staff/cases/${unassigned.caseId}/appointments?saved=confirmed&reminder=due-2030-04-18#appointment-${easter.id}`,
    );
    const mine = await t.services.caseWork.myTasks(liaison.orgId, liaison.userId);
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reference: unassigned.reference,
          title: 'Remind the person: Statement on Tuesday 23 April 2030 at 10:00',
          dueOn: '2030-04-18',
        }),
      ]),
    );
    const after = await liaison.browser.get(confirmed.headers.location as string);
    expect(after.body).toContain('A reminder task is due 2030-04-18');
    expect(after.body).toContain('She will bring her sister');
    expect(after.body).toContain(`Due 2030-04-18, for ${liaison.email}`);
    // The police see it confirmed, not the liaison's note or the task.
    const police = await officer.browser.get(`/police/cases/${unassigned.caseId}/appointments`);
    expect(police.body).toContain('Confirmed with the person');
    expect(police.body).not.toContain('She will bring her sister');
    expect(police.body).not.toContain('Reminder task');
    // Confirming twice is a 409 with a code; the police cannot confirm.
    expect(
      await t.services.appointments
        .change(easter.id, as(liaison), { status: 'confirmed', how: 'call' })
        .catch((e: unknown) => e),
    ).toMatchObject({ code: 'already-confirmed' });

    // Assigned to the caseworker: the task is theirs whoever confirms. Friday after Christmas 2030: Tuesday 24th.
    const assigned = await policeCase({ assignee: caseworker.userId });
    const christmas = await t.services.appointments.propose(
      assigned.caseId,
      as(liaison),
      proposal({ startsAt: '2030-12-27T10:00:00.000Z' }),
    );
    await expect(
      t.services.appointments.change(christmas.id, as(officer), { status: 'confirmed', how: 'call' }),
    ).rejects.toMatchObject({ code: 'support-only' });
    const viaApi = await call('PATCH', `/api/v1/appointments/${christmas.id}`, tokens.liaison!, {
      status: 'confirmed',
      how: 'in-person',
    });
    expect(viaApi.statusCode).toBe(200);
    expect(viaApi.json()).toMatchObject({
      status: 'confirmed',
      reminder: { dueOn: '2030-12-24' },
      reminderSkipped: null,
    });
    expect(
      (await t.services.caseWork.myTasks(caseworker.orgId, caseworker.userId)).find(
        (task) => task.reference === assigned.reference,
      ),
    ).toMatchObject({ dueOn: '2030-12-24', title: 'Remind the person: Statement on Friday 27 December 2030 at 10:00' });

    // A weekend: Monday 4 March 2030 → Friday 1 March. Confirmed by a token with nobody assigned: no task, and the answer says so.
    const weekend = await t.services.appointments.propose(
      unassigned.caseId,
      as(officer),
      proposal({ startsAt: '2030-03-04T10:00:00.000Z' }),
    );
    const tokenConfirm = await call('PATCH', `/api/v1/appointments/${weekend.id}`, tokens.caseworker!, {
      status: 'confirmed',
      how: 'mailbox',
    });
    expect(tokenConfirm.statusCode).toBe(200);
    expect(tokenConfirm.json()).toMatchObject({
      reminder: null,
      reminderSkipped: expect.stringContaining('nobody assigned'),
    });
    await t.services.triage.apply(as(caseworker), unassigned.reportId, {
      status: 'open',
      priority: 'normal',
      flags: [],
      assignee: caseworker.userId,
      reason: '',
    });
    const weekend2 = await t.services.appointments.propose(
      unassigned.caseId,
      as(officer),
      proposal({ startsAt: '2030-03-04T10:00:00.000Z' }),
    );
    const r = await t.services.appointments.change(
      weekend2.id,
      { kind: 'token', id: 'some-token', orgId: liaison.orgId },
      { status: 'confirmed', how: 'mailbox' },
    );
    expect(r.reminder).toMatchObject({ dueOn: '2030-03-01', ownerId: caseworker.userId });

    // A reminder whose working day before has passed is due today.
    const soon = await t.services.appointments.propose(
      unassigned.caseId,
      as(officer),
      proposal({ startsAt: new Date(t.clock.now().getTime() + 60 * 60 * 1000).toISOString() }),
    );
    const today = await t.services.appointments.change(soon.id, as(liaison), { status: 'confirmed', how: 'call' });
    expect(today.reminder!.dueOn).toBe(londonDate(t.clock.now()));
    expect(today.reminder!.dueOn >= addCalendarDays(londonDate(t.clock.now()), 0)).toBe(true);
  });

  it('records outcomes: missed raises the history line and the attrition flag; rearranged links a new one; impossible transitions are 409', async () => {
    const { caseId, reportId, reference } = await policeCase();
    const startsAt = new Date(t.clock.now().getTime() + 10 * 60 * 1000).toISOString();
    const { id } = await t.services.appointments.propose(caseId, as(officer), proposal({ startsAt }));
    // Not confirmed, not started: no attended/missed.
    expect(
      await t.services.appointments.change(id, as(officer), { status: 'missed' }).catch((e: unknown) => e),
    ).toMatchObject({ code: 'not-confirmed' });
    await t.services.appointments.change(id, as(liaison), { status: 'confirmed', how: 'call' });
    const early = await call('PATCH', `/api/v1/appointments/${id}`, tokens.north!, { status: 'missed' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('not-yet-started');

    // Before it starts, the page offers only rearranged and cancelled.
    const before = await officer.browser.get(`/police/cases/${caseId}/appointments`);
    expect(before.body).not.toContain('value="missed"');
    expect(before.body).toContain('value="cancelled-by-police"');

    t.clock.advance(15 * 60 * 1000);
    const page = await officer.browser.get(`/police/cases/${caseId}/appointments`);
    expect(page.body).toContain('value="missed"');
    const missed = await officer.browser.post(
      `/police/cases/${caseId}/appointments/${id}/outcome`,
      { outcome: 'missed', note: 'Did not arrive' },
      page.body,
    );
    expect(missed.statusCode).toBe(303);
    const shown = await officer.browser.get(missed.headers.location as string);
    expect(shown.body).toMatch(new RegExp(`id="appointment-${id}-status"[^>]*>Missed<`));
    // The liaison officer's at-risk list says so.
    const atRisk = await t.services.atRisk.list(liaison.orgId, { limit: 500 });
    expect(atRisk.items.find((i) => i.reference === reference)?.flags.map((f) => f.key)).toContain(
      'missed-appointment',
    );
    // The report's history says so.
    const history = await t.services.caseWork.timeline(reportId);
    expect(history.map((h) => h.text)).toContain(`Appointment missed: Statement on ${londonDate(new Date(startsAt))}`);
    // An outcome is final.
    const again = await call('PATCH', `/api/v1/appointments/${id}`, tokens.liaison!, { status: 'attended' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already-closed');

    // Rearranged: the old one names the new one (a proposal to confirm again), with the same needs.
    const second = await t.services.appointments.propose(
      caseId,
      as(liaison),
      proposal({ venueKind: 'sarc', venueDetails: 'The Haven' }),
    );
    const staffPage = await liaison.browser.get(`/staff/cases/${caseId}/appointments`);
    const noDate = await liaison.browser.post(
      `/staff/cases/${caseId}/appointments/${second.id}/outcome`,
      { outcome: 'rearranged', newOn: '', newTime: '' },
      staffPage.body,
    );
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('Enter the new date as YYYY-MM-DD');
    const moved = await liaison.browser.post(
      `/staff/cases/${caseId}/appointments/${second.id}/outcome`,
      { outcome: 'rearranged', newOn: '2030-07-01', newTime: '14:30', note: 'She is working that day' },
      staffPage.body,
    );
    expect(moved.statusCode).toBe(303);
    const { items } = await t.services.appointments.list(caseId, as(liaison));
    const old = items.find((a) => a.id === second.id)!;
    const fresh = items.find((a) => a.rearrangedFromId === second.id)!;
    expect(old).toMatchObject({
      status: 'rearranged',
      rearrangedToId: fresh.id,
      outcomeNote: 'She is working that day',
    });
    expect(fresh).toMatchObject({
      status: 'proposed',
      startsAt: '2030-07-01T13:30:00.000Z',
      venueKind: 'sarc',
      venueDetails: 'The Haven',
      interpreterLanguage: 'Polish',
      specialMeasures: ['screens', 'live-link'],
    });
    const movedPage = await liaison.browser.get(`/staff/cases/${caseId}/appointments`);
    expect(movedPage.body).toContain(`href="#appointment-${fresh.id}"`);

    // Rearranged through the API, then cancelled by the police; nothing is deleted.
    const viaApi = await call('PATCH', `/api/v1/appointments/${fresh.id}`, tokens.north!, {
      status: 'rearranged',
      startsAt: '2030-07-08T13:30:00Z',
    });
    expect(viaApi.statusCode).toBe(200);
    const third = viaApi.json().newAppointmentId as string;
    expect(third).toEqual(expect.any(String));
    expect(
      (
        await call('PATCH', `/api/v1/appointments/${third}`, tokens.north!, {
          status: 'cancelled-by-police',
          note: 'Officer off sick',
        })
      ).json(),
    ).toMatchObject({ status: 'cancelled-by-police' });
    expect(
      (await call('PATCH', `/api/v1/appointments/${third}`, tokens.north!, { status: 'rearranged' })).statusCode,
    ).toBe(400);
    expect(
      await t.services.db.selectFrom('appointments').select('id').where('case_id', '=', caseId).execute(),
    ).toHaveLength(4);
    const outcomes = await t.services.db
      .selectFrom('audit_entries')
      .select('detail')
      .where('action', '=', 'appointment.outcome')
      .where('target_id', '=', caseId)
      .execute();
    expect(outcomes).toHaveLength(4);
  });

  it('serves the three API operations, described in the OpenAPI document', async () => {
    const { caseId } = await policeCase({ assignee: caseworker.userId });
    const created = await call('POST', `/api/v1/cases/${caseId}/appointments`, tokens.north!, {
      kind: 'identification',
      venueKind: 'police-station',
      startsAt: '2030-05-14T10:00:00+01:00',
      interviewerGender: 'no-preference',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ id: expect.any(String) });
    const byCharity = await call('POST', `/api/v1/cases/${caseId}/appointments`, tokens.caseworker!, {
      kind: 'court-familiarisation',
      venueKind: 'court',
      venueDetails: 'Crown Court',
      startsAt: '2030-05-20T10:00:00Z',
      specialMeasures: ['screens'],
    });
    expect(byCharity.statusCode).toBe(201);
    for (const body of [
      { kind: 'statement' },
      { kind: 'séance', venueKind: 'court', startsAt: '2030-05-20T10:00:00Z' },
      { kind: 'statement', venueKind: 'court', startsAt: '2030-05-20T10:00:00Z', interpreter: true },
    ]) {
      const r = await call('POST', `/api/v1/cases/${caseId}/appointments`, tokens.north!, body);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('invalid_request');
    }
    expect(
      (
        await call('POST', `/api/v1/cases/${caseId}/appointments`, tokens.north!, {
          kind: 'statement',
          venueKind: 'court',
          startsAt: '2030-05-20T10:00:00Z',
          interpreter: true,
        })
      ).json().error.message,
    ).toContain('interpreterLanguage');

    const listed = await call('GET', `/api/v1/cases/${caseId}/appointments`, tokens.north!);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        id: created.json().id,
        kind: 'identification',
        venueKind: 'police-station',
        venueWarning: 'The person may not feel safe here',
        startsAt: '2030-05-14T09:00:00.000Z',
        status: 'proposed',
        proposedBy: 'API: north',
        reminder: null,
      }),
      expect.objectContaining({
        id: byCharity.json().id,
        kind: 'court-familiarisation',
        venueDetails: 'Crown Court',
        needs: expect.objectContaining({ specialMeasures: ['screens'] }),
      }),
    ]);
    const forbidden = await call('PATCH', `/api/v1/appointments/${created.json().id}`, tokens.north!, {
      status: 'confirmed',
      how: 'call',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('support-only');
    expect(
      (await call('PATCH', `/api/v1/appointments/${created.json().id}`, tokens.liaison!, { status: 'confirmed' }))
        .statusCode,
    ).toBe(400);
    const ok = await call('PATCH', `/api/v1/appointments/${created.json().id}`, tokens.liaison!, {
      status: 'confirmed',
      how: 'call',
    });
    expect(ok.statusCode).toBe(200);
    expect((await call('GET', `/api/v1/cases/${caseId}/appointments`, tokens.liaison!)).json().items[0]).toMatchObject({
      status: 'confirmed',
      confirmedHow: 'call',
      reminder: expect.objectContaining({ dueOn: '2030-05-13' }),
    });
    expect(
      (await call('GET', `/api/v1/cases/${caseId}/appointments`, tokens.north!)).json().items[0].reminder,
    ).toBeNull();
    expect((await call('GET', `/api/v1/cases/not-a-case/appointments`, tokens.north!)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/appointments/nope`, tokens.north!, { status: 'attended' })).statusCode).toBe(
      404,
    );

    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/cases/{caseId}/appointments'])).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(Object.keys(doc.paths['/api/v1/appointments/{id}'])).toContain('patch');
  });
});
