import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, policeLiaisonStaff } from '../../../test/support/policeLiaison.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { addCalendarDays } from '../calendar/workingDays.ts';

describe.each(testDatabases)('police case pages and officer-level scoping on %s', (kind) => {
  let t: TestApp;
  let liaison: SignedInStaff;
  let supervisor: SignedInStaff;
  let officer: SignedInStaff;
  let otherOfficer: SignedInStaff;
  let otherForce: SignedInStaff;
  let otherCharity: SignedInStaff;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    ({ liaison, supervisor, officer, otherOfficer, otherForce } = await policeLiaisonStaff(t));
    otherCharity = await signedInStaff(t, { role: 'liaison', orgSlug: 'other-project' });
  }, 120_000);
  afterAll(async () => t.close());

  const as = (who: SignedInStaff): Actor => ({ kind: 'user', id: who.userId, orgId: who.orgId });

  /** Refer a report (full, with the person's name and number) and have the supervisor accept it for an officer. */
  async function policeCase(
    assignTo: SignedInStaff,
    crimeReference: string,
    incidentTypes: string[] = ['physical-assault'],
  ) {
    const { reference, reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: incidentTypes as never,
        account: 'He hit me behind the old mill',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: true,
        },
        perpetrator: { names: ['Dave the van'], phones: [], emails: [], handles: [] },
        contact: { name: 'Ruby Example', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const referralId = await t.services.referrals.send(as(liaison), reportId, { force: 'northshire', level: 'full' });
    const caseId = await t.services.referrals.accept({ ...as(supervisor), role: 'supervisor' }, referralId, {
      crimeReference,
      officer: assignTo.userId,
    });
    return { reference, reportId, caseId };
  }

  it('shows officers only the cases they hold, supervisors all of the force’s; everyone else gets 404', async () => {
    const mine = await policeCase(officer, 'NS/100/26');
    const theirs = await policeCase(otherOfficer, 'NS/200/26');

    const page = await officer.browser.get(`/police/cases/${mine.caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('NS/100/26');
    expect(page.body).toContain(officer.email);
    expect(page.body).toContain(`/police/referrals/`);
    expect(page.body).toContain(`/police/cases/${mine.caseId}/appointments`);
    // Nothing about the person on the police case page (the referral page shows it under live consent), nor the charity's reference.
    for (const hidden of ['Ruby Example', '07700900456', 'old mill', mine.reference])
      expect(page.body).not.toContain(hidden);

    expect((await officer.browser.get(`/police/cases/${theirs.caseId}`)).statusCode).toBe(404);
    const list = await officer.browser.get('/police/cases');
    expect(list.body).toContain(`/police/cases/${mine.caseId}`);
    expect(list.body).not.toContain(`/police/cases/${theirs.caseId}`);
    expect(list.body).not.toContain('NS/200/26');

    for (const id of [mine.caseId, theirs.caseId])
      expect((await supervisor.browser.get(`/police/cases/${id}`)).statusCode).toBe(200);
    const all = await supervisor.browser.get('/police/cases');
    expect(all.body).toMatch(/NS\/200\/26[\s\S]*NS\/100\/26/);
    expect(all.body).toContain(otherOfficer.email);

    // Another force, the charity on the police pages, police on the charity's pages, another charity: 404.
    expect((await otherForce.browser.get(`/police/cases/${mine.caseId}`)).statusCode).toBe(404);
    expect((await otherForce.browser.get('/police/cases')).body).not.toContain('NS/100/26');
    expect((await liaison.browser.get(`/police/cases/${mine.caseId}`)).statusCode).toBe(404);
    expect((await supervisor.browser.get(`/staff/cases/${mine.caseId}`)).statusCode).toBe(404);
    expect((await otherCharity.browser.get(`/staff/cases/${mine.caseId}`)).statusCode).toBe(404);
    expect((await liaison.browser.get(`/staff/cases/${mine.caseId}`)).statusCode).toBe(200);
    // Within the organisations, only the roles that work cases: not outreach or analysts, not police administrators.
    for (const [role, orgKind, orgSlug] of [
      ['outreach', 'support', 'safe-streets'],
      ['analyst', 'support', 'safe-streets'],
      ['admin', 'support', 'safe-streets'],
      ['admin', 'police', 'northshire'],
      ['analyst', 'police', 'northshire'],
    ] as const) {
      const who = await signedInStaff(t, { role, orgKind, orgSlug });
      for (const path of [
        `/staff/cases/${mine.caseId}`,
        '/staff/duties',
        `/police/cases/${mine.caseId}`,
        '/police/cases',
        '/police/duties',
      ]) {
        expect((await who.browser.get(path)).statusCode, `${orgSlug} ${role} ${path}`).toBe(404);
      }
      await expect(t.services.caseTimeline.get(mine.caseId, as(who)), `${orgSlug} ${role}`).rejects.toMatchObject({
        code: 'not-found',
      });
    }

    // The same rule in the service, so the API and pages share it.
    await expect(t.services.caseTimeline.get(theirs.caseId, as(officer))).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      t.services.caseTimeline.recordEvent(theirs.caseId, as(officer), {
        type: 'charged',
        occurredAt: '2026-11-27T10:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    const { dutyId } = await t.services.caseTimeline.recordEvent(theirs.caseId, as(otherOfficer), {
      type: 'charged',
      occurredAt: '2026-11-27T10:00:00Z',
    });
    await expect(t.services.duties.markMet(dutyId!, as(officer), { how: 'call' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect((await t.services.dutyLists.dutiesFor(as(officer), 'open')).map((d) => d.id)).not.toContain(dutyId);
    expect((await t.services.dutyLists.dutiesFor(as(otherOfficer), 'open')).map((d) => d.id)).toContain(dutyId);
    expect((await t.services.dutyLists.dutiesFor(as(supervisor), 'open')).map((d) => d.id)).toContain(dutyId);
    expect((await t.services.dutyLists.dutiesFor(as(liaison), 'open')).map((d) => d.id)).toContain(dutyId);
    expect(await t.services.dutyLists.dutiesFor(as(otherForce), 'open')).toEqual([]);
    expect(
      (
        await officer.browser.post(
          `/police/cases/${theirs.caseId}/events`,
          { type: 'charged', occurredOn: '2026-11-27' },
          page.body,
        )
      ).statusCode,
    ).toBe(404);

    // Views are audited.
    const views = await t.services.db
      .selectFrom('audit_entries')
      .select(['actor_id', 'action'])
      .where('target_id', '=', mine.caseId)
      .where('action', '=', 'police-case.viewed')
      .execute();
    expect(views.map((v) => v.actor_id)).toEqual(
      expect.arrayContaining([officer.userId, supervisor.userId, liaison.userId]),
    );
  });

  it('records an event from the police page; the duty reaches the charity’s list and the liaison records the person was told', async () => {
    const { caseId, reference } = await policeCase(officer, 'NS/300/26');
    const page = await officer.browser.get(`/police/cases/${caseId}`);
    expect(page.body).toContain('Referred (nothing recorded yet)');

    const noOutcome = await officer.browser.post(`/police/cases/${caseId}/events`, {
      type: 'closed',
      occurredOn: '2026-11-20',
      outcomeType: '',
      bailEndsOn: '',
      summary: 'Kept note',
    });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.body).toContain('govuk-error-summary');
    expect(noOutcome.body).toContain('Give the Home Office outcome type (1 to 22) to close the case');
    expect(noOutcome.body).toContain('<option value="closed" selected');
    expect(noOutcome.body).toContain('Kept note');
    const badOutcome = await officer.browser.post(`/police/cases/${caseId}/events`, {
      type: 'closed',
      occurredOn: '2026-11-20',
      outcomeType: '23',
    });
    expect(badOutcome.statusCode).toBe(400);
    expect(badOutcome.body).toContain('The Home Office outcome type is 1 to 22');
    const badDate = await officer.browser.post(`/police/cases/${caseId}/events`, {
      type: 'suspect-arrested',
      occurredOn: '2026-02-30',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('Enter the date it happened as YYYY-MM-DD');
    const noBail = await officer.browser.post(`/police/cases/${caseId}/events`, {
      type: 'bailed',
      occurredOn: '2026-11-20',
    });
    expect(noBail.statusCode).toBe(400);
    expect(noBail.body).toContain('Give the date bail ends');
    const noType = await officer.browser.post(`/police/cases/${caseId}/events`, { type: '', occurredOn: '2026-11-20' });
    expect(noType.body).toContain('Choose what happened');
    expect(
      await t.services.db.selectFrom('case_timeline_events').select('id').where('case_id', '=', caseId).execute(),
    ).toEqual([]);

    // An arrest ten days ago: its duty (5 working days for an assault without enhanced rights) is overdue now.
    const tenDaysAgo = addCalendarDays(t.services.dutyLists.today(), -10);
    const recorded = await officer.browser.post(`/police/cases/${caseId}/events`, {
      type: 'suspect-arrested',
      occurredOn: tenDaysAgo,
      summary: 'Arrested at home',
    });
    expect(recorded.headers.location).toBe(`/police/cases/${caseId}?saved=event#timeline`);
    const after = await officer.browser.get(`/police/cases/${caseId}`);
    expect(after.body).toMatch(/id="stage">Suspect arrested</);
    expect(after.body).toContain('Arrested at home');
    const [duty] = await t.services.dutyLists.caseDuties(caseId, as(officer));
    expect(duty).toMatchObject({ event: 'suspect-arrested', state: 'overdue' });
    expect(after.body).toContain(`id="duty-${duty!.id}-state">Overdue`);

    // Both duty lists show it; another officer's does not.
    const staffDuties = await liaison.browser.get('/staff/duties');
    expect(staffDuties.statusCode).toBe(200);
    expect(staffDuties.body).toMatch(
      new RegExp(`id="overdue"[\\s\\S]*href="/staff/cases/${caseId}#duty-${duty!.id}">NS/300/26`),
    );
    expect((await officer.browser.get('/police/duties')).body).toContain(`/police/cases/${caseId}#duty-${duty!.id}`);
    expect((await supervisor.browser.get('/police/duties')).body).toContain(`/police/cases/${caseId}#duty-${duty!.id}`);
    expect((await otherOfficer.browser.get('/police/duties')).body).not.toContain(caseId);
    expect((await otherForce.browser.get('/police/duties')).body).not.toContain(caseId);

    // The charity's case page, from the report's referral panel.
    const reportPage = await liaison.browser.get(`/staff/reports/${reference}`);
    expect(reportPage.body).toContain(`href="/staff/cases/${caseId}"`);
    const casePage = await liaison.browser.get(`/staff/cases/${caseId}`);
    expect(casePage.body).toContain('Suspect arrested');
    expect(casePage.body).not.toContain('Record what happened');
    const noHow = await liaison.browser.post(`/staff/cases/${caseId}/duties/${duty!.id}/met`, {
      how: '',
      note: 'Rang her',
    });
    expect(noHow.statusCode).toBe(400);
    expect(noHow.body).toContain(`href="#duty-${duty!.id}-how"`);
    expect(noHow.body).toContain('Rang her');
    expect(
      (
        await liaison.browser.post(`/staff/cases/${caseId}/duties/${duty!.id}/met`, {
          how: 'call',
          note: 'Rang her, she knows 6612',
        })
      ).headers.location,
    ).toBe(`/staff/cases/${caseId}?saved=told#duties`);
    expect((await officer.browser.get(`/police/cases/${caseId}`)).body).toContain(`id="duty-${duty!.id}-state">Met`);
    expect((await liaison.browser.get('/staff/duties')).body).not.toContain(`#duty-${duty!.id}`);
    expect(JSON.stringify(await t.services.db.selectFrom('duties').selectAll().execute())).not.toContain(
      'she knows 6612',
    );
    const again = await liaison.browser.post(`/staff/cases/${caseId}/duties/${duty!.id}/met`, { how: 'call' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This duty has already been recorded.');

    // Not told: a reason is required; then the duty is closed as not met.
    expect(
      (
        await officer.browser.post(`/police/cases/${caseId}/events`, {
          type: 'bailed',
          occurredOn: t.services.dutyLists.today(),
          bailEndsOn: addCalendarDays(t.services.dutyLists.today(), 28),
        })
      ).statusCode,
    ).toBe(303);
    const bail = (await t.services.dutyLists.caseDuties(caseId, as(officer))).find((d) => d.event === 'bailed')!;
    const noReason = await officer.browser.post(`/police/cases/${caseId}/duties/${bail.id}/not-met`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the person was not told');
    expect(
      (
        await officer.browser.post(`/police/cases/${caseId}/duties/${bail.id}/not-met`, {
          reason: 'Phone off; asked the charity 9921',
        })
      ).statusCode,
    ).toBe(303);
    expect((await liaison.browser.get(`/staff/cases/${caseId}`)).body).toContain(`id="duty-${bail.id}-state">Not met`);
    expect(await t.services.duties.notMetReason(bail.id, as(liaison))).toContain('9921');
    // Another officer cannot touch this case's duties.
    expect(
      (
        await otherOfficer.browser.post(
          `/police/cases/${caseId}/duties/${bail.id}/met`,
          { how: 'call' },
          (await otherOfficer.browser.get('/police/cases')).body,
        )
      ).statusCode,
    ).toBe(404);
  });
});
