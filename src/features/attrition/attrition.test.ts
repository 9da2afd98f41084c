import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { migrateAndFill } from '../../derivedData.ts';
import { syncAttritionWatch } from './attritionWatch.ts';

const DAY = 86_400_000;
const SECOND = 1000;

describe.each(testDatabases)('attrition watch on %s', (kind) => {
  let t: TestApp;
  let supportId = '';
  let forceId = '';
  let liaison: SignedInStaff;
  let worker: Actor;
  let police: Actor & { role: 'supervisor' };
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'support', name: 'Other Project', slug: 'other-project' },
      { kind: 'system' },
    );
    const force = await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    await t.services.partnerships.link(support.id, force.id, { kind: 'system' });
    supportId = support.id;
    forceId = force.id;
    liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const supervisor = await signedInStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    worker = { kind: 'user', id: liaison.userId, orgId: supportId };
    police = { kind: 'user', id: supervisor.userId, orgId: forceId, role: 'supervisor' };
    for (const [name, orgSlug, role] of [
      ['liaison', 'safe-streets', 'liaison'],
      ['outreach', 'safe-streets', 'outreach'],
      ['analyst', 'safe-streets', 'analyst'],
      ['other', 'other-project', 'liaison'],
      ['police', 'northshire', 'supervisor'],
    ] as const) {
      tokens[name] = (await t.services.apiTokens.create({ orgSlug, role, name }, { kind: 'system' })).token;
    }
  });
  afterAll(async () => t.close());

  // The watch is kept in step by each service as it writes. Whatever a test did,
  // the rows must equal a rebuild from the source tables: a write path that
  // forgot to bring the watch up to date fails here.
  const watchRows = () => t.services.db.selectFrom('attrition_watch').selectAll().orderBy('report_id').execute();
  afterEach(async () => {
    const kept = await watchRows();
    await t.services.db.transaction().execute((trx) => syncAttritionWatch(trx, { all: true }));
    expect(kept).toEqual(await watchRows());
  });

  const api = (token: string, method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[token]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });

  /** A report; with a person (and a mobile) unless `person: false`; with an accepted police case when `police`. */
  const newCase = async (opts: { person?: boolean; police?: boolean } = {}) => {
    const { reference, reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'He followed me home from the arches',
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
    let personId: string | null = null;
    let pointId: string | null = null;
    if (opts.person !== false) {
      personId = (
        await t.services.people.create(
          worker,
          { workingName: 'Ruby', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
          reportId,
        )
      ).id;
      pointId = (
        await t.services.people.addContactPoint(worker, personId, {
          kind: 'mobile',
          value: '07700900456',
          safeToLeaveMessage: false,
          safeTimes: undefined,
          codeWord: undefined,
        })
      ).id;
    }
    let caseId: string | null = null;
    if (opts.police) {
      const referralId = await t.services.referrals.send(worker, reportId, {
        force: 'northshire',
        level: 'full',
        summary: 'Please call us first',
      });
      caseId = await t.services.referrals.accept(police, referralId, {
        crimeReference: `NS/${randomId().slice(0, 6)}`,
      });
    }
    return { reference, reportId, personId, pointId, caseId };
  };

  const list = async () => (await t.services.atRisk.list(supportId, { limit: 500 })).items;
  const flagsOf = async (reference: string) =>
    (await list()).find((i) => i.reference === reference)?.flags.map((f) => f.key) ?? [];
  const reached = (personId: string) =>
    t.services.people.recordAttempt(worker, personId, { channel: 'call', outcome: 'reached', note: undefined });

  it('lists a case whose contact points are all retired, in words with links, on the page and in the API, and audits the view', async () => {
    const c = await newCase();
    expect(await flagsOf(c.reference)).toEqual([]);
    await t.services.people.retireContactPoint(worker, c.personId!, c.pointId!, 'not-in-service');
    expect(await flagsOf(c.reference)).toEqual(['contact-points-retired']);

    const page = await liaison.browser.get('/staff/at-risk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/staff/reports/${c.reference}"`);
    expect(page.body).toContain('Every contact point has been retired');
    expect(page.body).toContain(`href="/staff/reports/${c.reference}/engagement"`);
    expect(
      await t.services.db
        .selectFrom('audit_entries')
        .select('actor_id')
        .where('action', '=', 'attrition.at-risk.viewed')
        .execute(),
    ).toEqual([{ actor_id: liaison.userId }]);

    const res = await api('liaison', 'GET', '/api/v1/at-risk');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((i: { reference: string }) => i.reference === c.reference)).toMatchObject({
      flags: ['contact-points-retired'],
      flagText: ['Every contact point has been retired'],
      engagement: null,
    });
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/at-risk', '/api/v1/reports/{reference}/engagement']),
    );

    // A new working contact point clears it.
    await t.services.people.addContactPoint(worker, c.personId!, {
      kind: 'email',
      value: 'ruby@example.org',
      safeToLeaveMessage: true,
      safeTimes: undefined,
      codeWord: undefined,
    });
    expect(await flagsOf(c.reference)).toEqual([]);
  });

  it('records engagement from the page: validates, keeps what was typed, writes history, a case event and an audit entry', async () => {
    const c = await newCase();
    const form = await liaison.browser.get(`/staff/reports/${c.reference}/engagement`);
    expect(form.statusCode).toBe(200);
    const today = t.clock.now().toISOString().slice(0, 10);

    const noAnswer = await liaison.browser.post(`/staff/reports/${c.reference}/engagement`, {
      status: 'withdrawn',
      reasons: ['fear-of-retaliation'],
      on: today,
      note: 'Scared of his brother 4471',
    });
    expect(noAnswer.statusCode).toBe(400);
    expect(noAnswer.body).toContain('Say whether the person wants support to continue');
    expect(noAnswer.body).toContain('Scared of his brother 4471');
    const noReason = await liaison.browser.post(`/staff/reports/${c.reference}/engagement`, {
      status: 'wavering',
      on: today,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Choose at least one reason');
    const badReason = await liaison.browser.post(`/staff/reports/${c.reference}/engagement`, {
      status: 'wavering',
      reasons: 'bored',
      on: today,
    });
    expect(badReason.statusCode).toBe(400);
    expect(badReason.body).toContain('Reasons must be from the list');
    const future = await liaison.browser.post(`/staff/reports/${c.reference}/engagement`, {
      status: 'engaged',
      on: '2999-01-01',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('The date cannot be in the future');
    expect(
      await t.services.db.selectFrom('engagement_changes').select('id').where('report_id', '=', c.reportId).execute(),
    ).toEqual([]);

    const ok = await liaison.browser.post(`/staff/reports/${c.reference}/engagement`, {
      status: 'withdrawn',
      reasons: ['fear-of-retaliation', 'pressure-from-others'],
      wantsSupport: 'yes',
      on: today,
      note: 'Scared of his brother 4471',
    });
    expect(ok.statusCode).toBe(303);
    const after = await liaison.browser.get(ok.headers.location as string);
    expect(after.body).toContain('Engagement recorded');
    expect(after.body).toMatch(
      /Withdrawn \(wants support to continue\)[\s\S]*Fear of retaliation, Pressure from others[\s\S]*Scared of his brother 4471/,
    );
    expect(await t.services.engagement.current(c.reportId)).toEqual({
      status: 'withdrawn',
      wantsSupport: 'yes',
      on: today,
    });
    // The note and reasons are encrypted at rest.
    expect(JSON.stringify(await t.services.db.selectFrom('engagement_changes').selectAll().execute())).not.toMatch(
      /4471|fear-of/,
    );
    expect(
      await t.services.db.selectFrom('case_events').select('kind').where('report_id', '=', c.reportId).execute(),
    ).toEqual([{ kind: 'engagement' }]);
    expect(
      await t.services.db
        .selectFrom('audit_entries')
        .select(['actor_id', 'target_id'])
        .where('action', '=', 'case.engagement')
        .execute(),
    ).toEqual([{ actor_id: liaison.userId, target_id: c.reportId }]);
    expect((await liaison.browser.get(`/staff/reports/${c.reference}`)).body).toContain('Engagement: withdrawn');
  });

  it('records engagement through the API with specific errors, and hides cases from everyone else', async () => {
    const c = await newCase();
    const url = `/api/v1/reports/${c.reference}/engagement`;
    const today = t.clock.now().toISOString().slice(0, 10);
    const missing = await api('liaison', 'POST', url, { status: 'withdrawn', reasons: ['moved-away'], on: today });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('wantsSupportToContinue');
    const bad = await api('liaison', 'POST', url, { status: 'wavering', reasons: ['bored'], on: today });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('reasons');
    expect(await t.services.engagement.current(c.reportId)).toBeNull();
    const ok = await api('liaison', 'POST', url, { status: 'wavering', reasons: ['court-delays'], on: today });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ reference: c.reference, status: 'wavering', wantsSupportToContinue: null, on: today });
    expect(await flagsOf(c.reference)).toEqual(['wavering']);

    for (const who of ['other', 'police', 'analyst', 'outreach']) {
      expect((await api(who, 'POST', url, { status: 'engaged', on: today })).statusCode, who).toBe(404);
      const listed = await api(who, 'GET', '/api/v1/at-risk');
      // Another organisation's liaison sees its own (empty) list, never this case.
      if (who === 'other') expect(listed.json()).toEqual({ total: 0, items: [] });
      else expect(listed.statusCode, who).toBe(404);
    }
    const other = await signedInStaff(t, { role: 'liaison', orgSlug: 'other-project' });
    expect((await other.browser.get(`/staff/reports/${c.reference}/engagement`)).statusCode).toBe(404);
    expect((await other.browser.get('/staff/at-risk')).body).not.toContain(c.reference);
    for (const [role, orgKind, orgSlug] of [
      ['supervisor', 'police', 'northshire'],
      ['analyst', 'support', 'safe-streets'],
      ['outreach', 'support', 'safe-streets'],
    ] as const) {
      const s = await signedInStaff(t, { role, orgKind, orgSlug });
      expect((await s.browser.get('/staff/at-risk')).statusCode, role).toBe(404);
      expect((await s.browser.get(`/staff/reports/${c.reference}/engagement`)).statusCode, role).toBe(404);
    }
    expect(
      await t.services.db
        .selectFrom('engagement_changes')
        .select('status')
        .where('report_id', '=', c.reportId)
        .execute(),
    ).toEqual([{ status: 'wavering' }]);
  });

  it('flags a missed appointment until a later one is attended', async () => {
    const c = await newCase({ police: true });
    const appointment = (startsAt: Date, outcome: 'missed' | 'attended' | null) =>
      t.services.db
        .insertInto('appointments')
        .values({
          id: randomId(),
          case_id: c.caseId!,
          support_org_id: supportId,
          police_org_id: forceId,
          kind: 'statement',
          venue_kind: 'charity-premises',
          venue_enc: null,
          starts_at: startsAt.toISOString(),
          starts_on: startsAt.toISOString().slice(0, 10),
          attendees_enc: null,
          interpreter: 0,
          interpreter_language_enc: null,
          interviewer_gender: 'no-preference',
          special_measures: '[]',
          special_measures_note_enc: null,
          proposed_side: 'police',
          proposed_by_kind: 'user',
          proposed_by_id: police.id,
          proposed_at: t.clock.now().toISOString(),
          confirmed_at: null,
          confirmed_how: null,
          confirmed_by_kind: null,
          confirmed_by_id: null,
          confirmed_note_enc: null,
          reminder_task_id: null,
          outcome,
          outcome_at: outcome ? t.clock.now().toISOString() : null,
          outcome_by_kind: outcome ? 'user' : null,
          outcome_by_id: outcome ? police.id : null,
          outcome_note_enc: null,
          rearranged_to_id: null,
          rearranged_from_id: null,
        } as never)
        .execute()
        // Written straight to the table (the service will not record an outcome for a time it has not proposed), so brought into the watch as the service would.
        .then(() => syncAttritionWatch(t.services.db, { cases: [c.caseId!] }));
    const now = t.clock.now().getTime();
    await appointment(new Date(now - 3 * DAY), 'attended');
    await appointment(new Date(now + 2 * DAY), null);
    expect(await flagsOf(c.reference)).toEqual([]);
    await appointment(new Date(now - 2 * DAY), 'missed');
    expect(await flagsOf(c.reference)).toEqual(['missed-appointment']);
    await appointment(new Date(now - 1 * DAY), 'attended');
    expect(await flagsOf(c.reference)).toEqual([]);
  });

  it('flags bail ending within 7 days, from the latest bail event with an end date', async () => {
    const c = await newCase({ police: true });
    const today = () => t.clock.now().toISOString().slice(0, 10);
    const plus = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
    const event = (type: 'bailed' | 'bail-changed', bailEndsOn?: string) =>
      t.services.caseTimeline.recordEvent(c.caseId!, police, {
        type,
        occurredAt: t.clock.now().toISOString(),
        ...(bailEndsOn ? { bailEndsOn } : {}),
      });
    await event('bailed', plus(8));
    expect(await flagsOf(c.reference)).toEqual([]);
    t.clock.advance(DAY);
    expect(await flagsOf(c.reference)).toEqual(['bail-ending']);
    expect((await list()).find((i) => i.reference === c.reference)?.flags[0]?.text).toMatch(
      /^Bail ends on \d{1,2} [A-Z][a-z]+ 20\d\d$/,
    );
    // Bail extended: the latest end date counts; conditions changed without a date do not hide it.
    t.clock.advance(SECOND);
    await event('bail-changed', plus(30));
    expect(await flagsOf(c.reference)).toEqual([]);
    t.clock.advance(SECOND);
    await event('bail-changed');
    expect(await flagsOf(c.reference)).toEqual([]);
    t.clock.advance(23 * DAY);
    expect(await flagsOf(c.reference)).toContain('bail-ending');
    // The day after bail ended, it is no longer "ending".
    t.clock.advance(8 * DAY);
    expect(await flagsOf(c.reference)).not.toContain('bail-ending');
  });

  it('flags no successful contact for 14 days, at the boundary, and clears it on a successful attempt', async () => {
    const c = await newCase();
    t.clock.advance(14 * DAY - SECOND);
    expect(await flagsOf(c.reference)).not.toContain('no-contact');
    t.clock.advance(SECOND);
    expect(await flagsOf(c.reference)).toContain('no-contact');
    await t.services.people.recordAttempt(worker, c.personId!, {
      channel: 'call',
      outcome: 'no-answer',
      note: undefined,
    });
    expect(await flagsOf(c.reference)).toContain('no-contact');
    await reached(c.personId!);
    expect(await flagsOf(c.reference)).not.toContain('no-contact');
    t.clock.advance(14 * DAY - SECOND);
    expect(await flagsOf(c.reference)).not.toContain('no-contact');
    t.clock.advance(SECOND);
    expect(await flagsOf(c.reference)).toContain('no-contact');
    // A report with no person record has nobody to contact: only the other flags apply.
    const anonymous = await newCase({ person: false });
    t.clock.advance(20 * DAY);
    expect(await flagsOf(anonymous.reference)).not.toContain('no-contact');
  });

  it("flags no update to the person for 28 days: a reply or a met Victims' Code duty, whichever is later", async () => {
    const c = await newCase({ person: false, police: true });
    t.clock.advance(28 * DAY - SECOND);
    expect(await flagsOf(c.reference)).not.toContain('no-update');
    t.clock.advance(SECOND);
    expect(await flagsOf(c.reference)).toContain('no-update');
    // The person writing in is not an update to them.
    await t.services.reports.addMessage(c.reportId, 'Any news?', { sender: 'reporter' });
    expect(await flagsOf(c.reference)).toContain('no-update');
    await t.services.reports.addMessage(c.reportId, 'The police have your statement', {
      sender: 'support',
      userId: liaison.userId,
    });
    expect(await flagsOf(c.reference)).not.toContain('no-update');
    t.clock.advance(28 * DAY);
    expect(await flagsOf(c.reference)).toContain('no-update');
    const { dutyId } = await t.services.caseTimeline.recordEvent(c.caseId!, police, {
      type: 'suspect-arrested',
      occurredAt: t.clock.now().toISOString(),
    });
    expect(await flagsOf(c.reference)).toContain('no-update');
    await t.services.duties.markMet(dutyId!, worker, { how: 'call' });
    expect(await flagsOf(c.reference)).not.toContain('no-update');
    t.clock.advance(28 * DAY - SECOND);
    expect(await flagsOf(c.reference)).not.toContain('no-update');
    t.clock.advance(SECOND);
    expect(await flagsOf(c.reference)).toContain('no-update');
  });

  it('orders by weight of flags, then longest since contact, and leaves out withdrawn cases that want no support', async () => {
    const today = () => t.clock.now().toISOString().slice(0, 10);
    const older = await newCase();
    await reached(older.personId!);
    t.clock.advance(2 * DAY);
    const newer = await newCase();
    await reached(newer.personId!);
    const retired = await newCase();
    await reached(retired.personId!);
    await t.services.people.retireContactPoint(worker, retired.personId!, retired.pointId!, 'number-changed');
    const declined = await newCase();
    const supported = await newCase();
    t.clock.advance(15 * DAY);
    await t.services.engagement.record(worker, declined.reportId, {
      status: 'withdrawn',
      reasons: ['distrust-of-police'],
      note: '',
      on: today(),
      wantsSupport: 'no',
    });
    await t.services.engagement.record(worker, supported.reportId, {
      status: 'withdrawn',
      reasons: ['moved-away'],
      note: '',
      on: today(),
      wantsSupport: 'yes',
    });

    const items = await list();
    const position = (reference: string) => items.findIndex((i) => i.reference === reference);
    expect(await flagsOf(older.reference)).toEqual(['no-contact']);
    expect(await flagsOf(newer.reference)).toEqual(['no-contact']);
    expect(await flagsOf(retired.reference)).toEqual(['contact-points-retired', 'no-contact']);
    expect(position(retired.reference)).toBeLessThan(position(older.reference));
    // Same flags: the one longest since contact comes first.
    expect(position(older.reference)).toBeLessThan(position(newer.reference));
    expect(position(declined.reference)).toBe(-1);
    expect(position(supported.reference)).toBeGreaterThanOrEqual(0);
    expect(items.find((i) => i.reference === supported.reference)?.engagementText).toBe(
      'Withdrawn (wants support to continue)',
    );
    const scores = items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Closed cases are not watched.
    await t.services.triage.apply(worker, older.reportId, {
      status: 'closed',
      reason: 'Finished',
      assignee: '',
      priority: 'normal',
      flags: [],
    });
    expect(position(older.reference)).toBeGreaterThanOrEqual(0);
    expect(await flagsOf(older.reference)).toEqual([]);
  });

  it('follows reports to the person they are linked to, through merges, and back in when reopened', async () => {
    const retiredPerson = await newCase();
    await t.services.people.retireContactPoint(
      worker,
      retiredPerson.personId!,
      retiredPerson.pointId!,
      'number-changed',
    );
    const reachable = await newCase();
    await reached(reachable.personId!);
    expect(await flagsOf(retiredPerson.reference)).toEqual(['contact-points-retired']);
    // Merged into a person who can be reached: the report now has a working contact point and a recent contact.
    t.clock.advance(3 * DAY);
    await t.services.people.merge(worker, reachable.personId!, retiredPerson.personId!);
    expect(await flagsOf(retiredPerson.reference)).toEqual([]);
    // A report with nobody linked is never "no contact"; linked to someone not reached for 14 days, it is.
    const anonymous = await newCase({ person: false });
    t.clock.advance(14 * DAY);
    expect(await flagsOf(anonymous.reference)).toEqual([]);
    await t.services.people.linkReport(worker, reachable.personId!, anonymous.reference);
    expect(await flagsOf(anonymous.reference)).toEqual(['no-contact']);
    // Closed, it leaves the list; reopened, it is back with the same flags.
    await t.services.triage.apply(worker, anonymous.reportId, {
      status: 'closed',
      reason: 'Finished',
      assignee: '',
      priority: 'normal',
      flags: [],
    });
    expect(await flagsOf(anonymous.reference)).toEqual([]);
    await t.services.triage.apply(worker, anonymous.reportId, {
      status: 'open',
      reason: '',
      assignee: '',
      priority: 'normal',
      flags: [],
    });
    expect(await flagsOf(anonymous.reference)).toEqual(['no-contact']);
  });

  it('keeps both of two writes to the same person made at the same time', async () => {
    const c = await newCase();
    t.clock.advance(15 * DAY);
    expect(await flagsOf(c.reference)).toEqual(['no-contact']);
    let started!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (started = resolve));
    // One caseworker records reaching her and, before that commits, another retires her only number.
    const reaching = t.services.db.transaction().execute(async (trx) => {
      await t.services.people.recordAttempt(
        worker,
        c.personId!,
        { channel: 'call', outcome: 'reached', note: undefined },
        { trx },
      );
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await firstHasWritten;
    const retiring = t.services.people.retireContactPoint(worker, c.personId!, c.pointId!, 'number-changed');
    await Promise.all([reaching, retiring]);
    expect(await flagsOf(c.reference)).toEqual(['contact-points-retired']);
  });

  it('fills the watch from the data when a migration asks for it, once, even with two instances starting together', async () => {
    const c = await newCase();
    await t.services.people.retireContactPoint(worker, c.personId!, c.pointId!, 'not-in-service');
    expect(await t.services.db.selectFrom('derived_data_pending').selectAll().execute()).toEqual([]);
    // As an upgraded database stands once the migration that creates the watch has run: empty, and named as pending.
    await t.services.db.deleteFrom('attrition_watch').execute();
    await t.services.db.insertInto('derived_data_pending').values({ name: 'attrition_watch' }).execute();
    expect(await flagsOf(c.reference)).toEqual([]);
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({
      status: 'unavailable',
      reason: 'derived data pending',
    });
    const [first, second] = await Promise.all([migrateAndFill(t.services.db), migrateAndFill(t.services.db)]);
    expect([...first.filled, ...second.filled]).toEqual(['attrition_watch']);
    expect(await flagsOf(c.reference)).toEqual(['contact-points-retired']);
    expect(await t.services.db.selectFrom('derived_data_pending').selectAll().execute()).toEqual([]);
    expect((await migrateAndFill(t.services.db)).filled).toEqual([]);
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});
