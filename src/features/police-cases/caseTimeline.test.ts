import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { londonDate } from '../calendar/workingDays.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases)("police case timeline and Victims' Code clock on %s", (kind) => {
  let t: TestApp;
  let supportOrg: string;
  let forceOrg: string;
  let otherOrg: string;
  let officer: Actor;
  let liaison: Actor;

  beforeAll(async () => {
    t = await startTestApp(kind);
    supportOrg = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      )
    ).id;
    forceOrg = (
      await t.services.organisations.create(
        { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
        { kind: 'system' },
      )
    ).id;
    otherOrg = (
      await t.services.organisations.create(
        { kind: 'police', name: 'Southshire Police', slug: 'southshire' },
        { kind: 'system' },
      )
    ).id;
    officer = { kind: 'token', id: 'token-officer', orgId: forceOrg };
    liaison = { kind: 'token', id: 'token-liaison', orgId: supportOrg };
  });
  afterAll(async () => t.close());

  /** A referral accepted by the force (rows written directly: the referral flow is the referrals feature's). */
  async function policeCase(incidentTypes: string[]): Promise<string> {
    const { reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: incidentTypes as never,
        account: 'What happened',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: true,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const at = t.clock.now().toISOString();
    const referralId = randomId();
    await t.services.db
      .insertInto('referrals')
      .values({
        id: referralId,
        report_id: reportId,
        support_org_id: supportOrg,
        police_org_id: forceOrg,
        level: 'full',
        status: 'accepted',
        content_enc: t.services.cipher.encrypt('{}', 'referrals.content'),
        sent_by_kind: 'token',
        sent_by_id: null,
        sent_at: at,
        decided_by_kind: 'token',
        decided_by_id: null,
        decided_at: at,
        decline_reason_enc: null,
      })
      .execute();
    const caseId = randomId();
    await t.services.db
      .insertInto('police_cases')
      .values({
        id: caseId,
        referral_id: referralId,
        police_org_id: forceOrg,
        crime_reference: `NS/${caseId.slice(0, 6)}`,
        officer_id: null,
        created_at: at,
      })
      .execute();
    return caseId;
  }

  /** Records an event with the clock on its day: events more than a day ahead of now are refused. */
  async function recordOnTheDay(
    caseId: string,
    actor: Actor,
    event: { type: 'suspect-arrested' | 'charged' | 'suspect-interviewed' | 'first-hearing'; occurredAt: string },
  ) {
    const shift = Date.parse(event.occurredAt) - t.clock.now().getTime();
    t.clock.advance(shift);
    try {
      return await t.services.caseTimeline.recordEvent(caseId, actor, event);
    } finally {
      t.clock.advance(-shift);
    }
  }

  it('creates a duty due in 1 working day with enhanced rights (sexual offence) and 5 without', async () => {
    const enhanced = await policeCase(['sexual-assault']);
    const standard = await policeCase(['robbery-or-theft']);
    // Friday 27 November 2026, 18:00 GMT.
    const arrest = { type: 'suspect-arrested' as const, occurredAt: '2026-11-27T18:00:00Z' };
    expect((await t.services.caseTimeline.recordEvent(enhanced, officer, arrest)).dueOn).toBe('2026-11-30');
    expect((await t.services.caseTimeline.recordEvent(standard, officer, arrest)).dueOn).toBe('2026-12-04');
    // Hearings are 1 working day either way; across Christmas.
    expect(
      (await recordOnTheDay(standard, officer, { type: 'first-hearing', occurredAt: '2026-12-24T10:00:00Z' })).dueOn,
    ).toBe('2026-12-29');
    // Events that are not duties.
    expect(
      await t.services.caseTimeline.recordEvent(standard, officer, {
        type: 'crime-recorded',
        occurredAt: '2026-11-20T10:00:00Z',
      }),
    ).toMatchObject({ dutyId: null, dueOn: null });
    const view = await t.services.caseTimeline.get(enhanced, liaison);
    expect(view).toMatchObject({
      enhancedRights: true,
      stage: 'suspect-arrested',
      duties: [{ event: 'suspect-arrested', dueOn: '2026-11-30' }],
    });
    expect((await t.services.caseTimeline.get(standard, officer)).enhancedRights).toBe(false);
    // Hate crime is enhanced by default; an override wins (domestic abuse is not on the report form).
    const hate = await policeCase(['hate-incident']);
    expect((await t.services.caseTimeline.get(hate, officer)).enhancedRights).toBe(true);
    await t.services.policeCases.setEnhancedRights(standard, liaison, true);
    expect(
      (
        await t.services.caseTimeline.recordEvent(standard, officer, {
          type: 'charged',
          occurredAt: '2026-11-27T18:00:00Z',
        })
      ).dueOn,
    ).toBe('2026-11-30');
  });

  it('counts day 0 from the UK date: 23:30 UTC in July is the next day in London, in January the same day', async () => {
    const c = await policeCase(['sexual-assault']);
    // Thursday 2 July 2026 23:30 UTC is Friday 3 July 00:30 BST: day 0 is Friday, so 1 working day is Monday 6th.
    expect(
      (await recordOnTheDay(c, officer, { type: 'suspect-arrested', occurredAt: '2026-07-02T23:30:00Z' })).dueOn,
    ).toBe('2026-07-06');
    // Thursday 7 January 2027 23:30 UTC is 23:30 GMT that Thursday: due Friday 8th.
    expect((await recordOnTheDay(c, officer, { type: 'charged', occurredAt: '2027-01-07T23:30:00Z' })).dueOn).toBe(
      '2027-01-08',
    );
    // The same instants written with a UK offset give the same deadlines.
    expect(
      (await recordOnTheDay(c, officer, { type: 'suspect-interviewed', occurredAt: '2026-07-03T00:30:00+01:00' }))
        .dueOn,
    ).toBe('2026-07-06');
  });

  it("skips Easter and substitute days past the published list, and an administrator's one-off day", async () => {
    const c = await policeCase(['sexual-assault']);
    // Thursday 10 April 2031: Good Friday, the weekend and Easter Monday come from the standing rules.
    expect(
      (await recordOnTheDay(c, officer, { type: 'suspect-arrested', occurredAt: '2031-04-10T12:00:00Z' })).dueOn,
    ).toBe('2031-04-15');
    // Friday 24 December 2032: Christmas on Saturday, substitute days Monday 27th and Tuesday 28th.
    expect((await recordOnTheDay(c, officer, { type: 'charged', occurredAt: '2032-12-24T12:00:00Z' })).dueOn).toBe(
      '2032-12-29',
    );
    await t.services.bankHolidays.add(liaison, { date: '2031-06-06', title: 'One-off bank holiday' });
    // Thursday 5 June 2031: Friday 6th is now a holiday.
    expect(
      (await recordOnTheDay(c, officer, { type: 'suspect-interviewed', occurredAt: '2031-06-05T12:00:00Z' })).dueOn,
    ).toBe('2031-06-09');
    await t.services.bankHolidays.remove(liaison, '2031-06-06');
  });

  it('reads the rules from the table, so a changed rule changes the deadline', async () => {
    const c = await policeCase(['physical-assault']);
    await t.services.db
      .updateTable('victims_code_rules')
      .set({ days_standard: 10 })
      .where('event_type', '=', 'bail-changed')
      .execute();
    expect(
      (
        await t.services.caseTimeline.recordEvent(c, officer, {
          type: 'bail-changed',
          occurredAt: '2026-11-23T09:00:00Z',
        })
      ).dueOn,
    ).toBe('2026-12-07');
    await t.services.db
      .updateTable('victims_code_rules')
      .set({ days_standard: 5 })
      .where('event_type', '=', 'bail-changed')
      .execute();
  });

  it('validates: closed needs an outcome type 1–22, bailed needs a bail end date; bad input changes nothing', async () => {
    const c = await policeCase(['physical-assault']);
    const before = await t.services.db
      .selectFrom('case_timeline_events')
      .select('id')
      .where('case_id', '=', c)
      .execute();
    await expect(
      t.services.caseTimeline.recordEvent(c, officer, { type: 'closed', occurredAt: '2026-11-27T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid', field: 'outcomeType' });
    await expect(
      t.services.caseTimeline.recordEvent(c, officer, {
        type: 'closed',
        occurredAt: '2026-11-27T10:00:00Z',
        outcomeType: 23,
      }),
    ).rejects.toMatchObject({ code: 'invalid', field: 'outcomeType' });
    await expect(
      t.services.caseTimeline.recordEvent(c, officer, { type: 'bailed', occurredAt: '2026-11-27T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 'invalid', field: 'bailEndsOn' });
    await expect(
      t.services.caseTimeline.recordEvent(c, officer, {
        type: 'arrested' as never,
        occurredAt: '2026-11-27T10:00:00Z',
      }),
    ).rejects.toBeInstanceOf(PoliceCaseError);
    expect(
      await t.services.db.selectFrom('case_timeline_events').select('id').where('case_id', '=', c).execute(),
    ).toEqual(before);
    await t.services.caseTimeline.recordEvent(c, officer, {
      type: 'bailed',
      occurredAt: '2026-11-20T10:00:00Z',
      bailEndsOn: '2026-12-18',
      summary: 'Bailed to a address away from the beat',
    });
    await t.services.caseTimeline.recordEvent(c, officer, {
      type: 'closed',
      occurredAt: '2026-11-27T10:00:00Z',
      outcomeType: 15,
    });
    const events = await t.services.caseTimeline.events(c, liaison);
    expect(events.map((e) => [e.type, e.bailEndsOn, e.outcomeType])).toEqual([
      ['bailed', '2026-12-18', null],
      ['closed', null, 15],
    ]);
    expect(events[0]?.summary).toBe('Bailed to a address away from the beat');
    // Free text is stored encrypted; the actor is recorded.
    const raw = JSON.stringify(
      await t.services.db.selectFrom('case_timeline_events').selectAll().where('case_id', '=', c).execute(),
    );
    expect(raw).not.toContain('away from the beat');
    expect(raw).toContain('token-officer');
    expect(await t.services.caseTimeline.stage(c, officer)).toBe('closed');
  });

  it('derives the stage from the latest event, not the latest recorded', async () => {
    const c = await policeCase(['physical-assault']);
    expect(await t.services.caseTimeline.stage(c, officer)).toBe('referred');
    await t.services.caseTimeline.recordEvent(c, officer, { type: 'charged', occurredAt: '2026-11-25T10:00:00Z' });
    await t.services.caseTimeline.recordEvent(c, officer, {
      type: 'suspect-interviewed',
      occurredAt: '2026-11-24T10:00:00Z',
    });
    expect(await t.services.caseTimeline.stage(c, officer)).toBe('charged');
  });

  it('hides a case and its duties from another organisation', async () => {
    const c = await policeCase(['physical-assault']);
    const stranger: Actor = { kind: 'token', id: 'x', orgId: otherOrg };
    await expect(t.services.caseTimeline.get(c, stranger)).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      t.services.caseTimeline.recordEvent(c, stranger, {
        type: 'suspect-arrested',
        occurredAt: '2026-11-27T10:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    const { dutyId } = await t.services.caseTimeline.recordEvent(c, officer, {
      type: 'suspect-arrested',
      occurredAt: '2026-11-27T10:00:00Z',
    });
    await expect(t.services.duties.markMet(dutyId as string, stranger, { how: 'call' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(await t.services.dutyLists.forOrganisation({ state: 'open', orgId: otherOrg })).toEqual([]);
  });
});

describe.each(testDatabases)('duty lists, met / not met and compliance on %s', (kind) => {
  let t: TestApp;
  let forceOrg: string;
  let supportOrg: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    supportOrg = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      )
    ).id;
    forceOrg = (
      await t.services.organisations.create(
        { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
        { kind: 'system' },
      )
    ).id;
  });
  afterAll(async () => t.close());

  it('moves duties from open to due today to overdue as the clock moves, and out when met or not met', async () => {
    const { reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'x',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const now = t.clock.now();
    const referralId = randomId();
    await t.services.db
      .insertInto('referrals')
      .values({
        id: referralId,
        report_id: reportId,
        support_org_id: supportOrg,
        police_org_id: forceOrg,
        level: 'full',
        status: 'accepted',
        content_enc: 'x',
        sent_by_kind: 'token',
        sent_by_id: null,
        sent_at: now.toISOString(),
        decided_by_kind: null,
        decided_by_id: null,
        decided_at: null,
        decline_reason_enc: null,
      })
      .execute();
    const caseId = randomId();
    await t.services.db
      .insertInto('police_cases')
      .values({
        id: caseId,
        referral_id: referralId,
        police_org_id: forceOrg,
        crime_reference: 'NS/1',
        officer_id: null,
        created_at: now.toISOString(),
      })
      .execute();
    const officer: Actor = { kind: 'token', id: 'tok', orgId: forceOrg };
    const liaison: Actor = { kind: 'token', id: 'liaison-token', orgId: supportOrg };

    const { caseTimeline, duties, dutyLists, dutyCompliance } = t.services;
    const today = dutyLists.today();
    const a = await caseTimeline.recordEvent(caseId, officer, {
      type: 'suspect-arrested',
      occurredAt: now.toISOString(),
    });
    const b = await caseTimeline.recordEvent(caseId, officer, { type: 'first-hearing', occurredAt: now.toISOString() });
    const dueOn = a.dueOn as string;
    expect(dueOn > today).toBe(true);
    expect((await dutyLists.forOrganisation({ state: 'open', orgId: forceOrg })).map((d) => d.id).sort()).toEqual(
      [a.dutyId, b.dutyId].sort(),
    );
    expect(await dutyLists.forOrganisation({ state: 'overdue', orgId: supportOrg })).toEqual([]);
    expect(await dutyLists.forOrganisation({ state: 'due', orgId: supportOrg })).toEqual([]);

    // Move to the first hearing's due date (1 working day).
    while (dutyLists.today() < (b.dueOn as string)) t.clock.advance(DAY);
    const dueToday = await dutyLists.forOrganisation({ state: 'due', orgId: supportOrg });
    expect(dueToday.map((d) => d.id)).toContain(b.dutyId);
    expect(dueToday.find((d) => d.id === b.dutyId)?.state).toBe('due');

    await duties.markMet(b.dutyId as string, liaison, {
      how: 'mailbox',
      note: 'Told through the mailbox, she will attend',
    });
    expect((await dutyLists.forOrganisation({ state: 'due', orgId: forceOrg })).map((d) => d.id)).not.toContain(
      b.dutyId,
    );
    await expect(duties.markMet(b.dutyId as string, liaison, { how: 'call' })).rejects.toMatchObject({
      code: 'already-resolved',
    });
    await expect(duties.markMet(a.dutyId as string, liaison, { how: 'carrier-pigeon' as never })).rejects.toMatchObject(
      {
        code: 'invalid',
      },
    );
    expect(JSON.stringify(await t.services.db.selectFrom('duties').selectAll().execute())).not.toContain(
      'she will attend',
    );

    // Past the arrest duty's deadline: overdue for both sides.
    while (dutyLists.today() <= dueOn) t.clock.advance(DAY);
    const overdue = await dutyLists.forOrganisation({ state: 'overdue', orgId: forceOrg });
    expect(overdue.map((d) => [d.id, d.state])).toEqual([[a.dutyId, 'overdue']]);
    expect((await dutyLists.forOrganisation({ state: 'overdue', orgId: supportOrg })).map((d) => d.id)).toEqual([
      a.dutyId,
    ]);

    await expect(duties.recordNotMet(a.dutyId as string, liaison, '  ')).rejects.toMatchObject({ code: 'invalid' });
    await duties.recordNotMet(a.dutyId as string, liaison, 'Phone off for a week; outreach team asked to look for her');
    expect(await dutyLists.forOrganisation({ state: 'overdue', orgId: forceOrg })).toEqual([]);
    expect(await duties.notMetReason(a.dutyId as string, officer)).toContain('outreach team');
    const states = Object.fromEntries((await dutyLists.caseDuties(caseId, officer)).map((d) => [d.id, d.state]));
    expect(states).toEqual({ [a.dutyId as string]: 'not-met', [b.dutyId as string]: 'met' });
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', caseId).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['police-case.event', 'police-case.duty-met', 'police-case.duty-not-met']),
    );

    // Compliance: of the two duties due (both due dates passed), one met on time.
    const months = await dutyCompliance.byMonth(forceOrg);
    expect(months.reduce((n, m) => n + m.due, 0)).toBe(2);
    expect(months.reduce((n, m) => n + m.metOnTime, 0)).toBe(1);
    expect(await dutyCompliance.byMonth(supportOrg)).toEqual([]);
  });

  it('computes the rate per month of the due date, counting late ones as not met', async () => {
    const { dutyCompliance } = t.services;
    const ins = (due: string, met: string | null) =>
      t.services.db.transaction().execute(async (trx) => {
        const eventId = randomId();
        const c = await trx.selectFrom('police_cases').select('id').executeTakeFirstOrThrow();
        await trx
          .insertInto('case_timeline_events')
          .values({
            id: eventId,
            case_id: c.id,
            type: 'charged',
            occurred_at: `${due}T09:00:00.000Z`,
            occurred_on: due,
            bail_end_date: null,
            outcome_type: null,
            detail_enc: 'x',
            actor_kind: 'token',
            actor_id: null,
            recorded_at: `${due}T09:00:00.000Z`,
          })
          .execute();
        await trx
          .insertInto('duties')
          .values({
            id: randomId(),
            event_id: eventId,
            case_id: c.id,
            event_type: 'charged',
            police_org_id: forceOrg,
            support_org_id: supportOrg,
            due_on: due,
            created_at: `${due}T09:00:00.000Z`,
            resolved_at: met,
            met_at: met,
            met_on: met ? londonDate(new Date(met)) : null,
            how: met ? 'call' : null,
            note_enc: null,
            not_met_reason_enc: null,
            resolved_by_kind: null,
            resolved_by_id: null,
          })
          .execute();
      });
    await ins('2025-03-10', '2025-03-10T20:00:00.000Z');
    await ins('2025-03-12', '2025-03-14T10:00:00.000Z'); // late
    await ins('2025-03-20', null); // never met
    await ins('2025-03-31', '2025-03-31T22:30:00.000Z'); // 23:30 BST on the 31st: on time
    await ins('2025-04-01', '2025-03-31T08:00:00.000Z');
    const months = await dutyCompliance.byMonth(forceOrg);
    expect(months.find((m) => m.month === '2025-03')).toEqual({ month: '2025-03', due: 4, metOnTime: 2, rate: 0.5 });
    expect(months.find((m) => m.month === '2025-04')).toEqual({ month: '2025-04', due: 1, metOnTime: 1, rate: 1 });
  });
});
