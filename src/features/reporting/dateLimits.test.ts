import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { addDays, addYears, ukDate } from '../../platform/validation/isoDate.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases)('dates that cannot be right on %s', (kind) => {
  let t: TestApp;
  let caseworker: SignedInStaff;
  beforeAll(async () => {
    t = await startTestApp(kind);
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
  });
  afterAll(async () => t.close());

  const send = (occurredOn: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { account: 'He would not pay', occurredOn } });

  it('takes incidents on real dates from 1950 to today, and refuses the rest with the field named', async () => {
    const today = ukDate(t.clock.now());
    const refused: [string, string][] = [
      ['2026-02-30', 'Give the date as a real date'],
      ['2025-13', 'Give the date as a real date'],
      ['0000-01-01', 'Give the date as a real date'],
      ['1949-12-31', 'The date must be in 1950 or later'],
      ['1949-12', 'The date must be in 1950 or later'],
      ['2099-01-01', 'The date must be today or in the past'],
      [addDays(today, 1), 'The date must be today or in the past'],
      [addDays(today, 40).slice(0, 7), 'The date must be today or in the past'],
    ];
    for (const [date, says] of refused) {
      const res = await send(date);
      expect(res.statusCode, date).toBe(400);
      expect(res.json().error.message, date).toBe(
        `body.occurredOn: ${says}${says.startsWith('Give') ? ', like 2026-11-27, or the month, like 2026-11, if you do not know the day' : ''}`,
      );
    }
    expect(await t.services.db.selectFrom('reports').select('id').execute()).toEqual([]);
    for (const date of [today, today.slice(0, 7), '1950-01-01', '1950-01', '2024-02-29'])
      expect((await send(date)).statusCode, date).toBe(201);
  });

  it('refuses a police timeline event more than a day ahead, so no stage is fixed for ever', async () => {
    const { reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'Punched',
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
    const supportOrg = (await t.services.organisations.findBySlug('safe-streets'))!.id;
    const forceOrg = (
      await t.services.organisations.create(
        { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
        { kind: 'system' },
      )
    ).id;
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
        crime_reference: 'NS/1',
        officer_id: null,
        created_at: at,
      })
      .execute();
    const officer = { kind: 'token' as const, id: 'token-officer', orgId: forceOrg };
    const now = t.clock.now().getTime();
    for (const occurredAt of ['9999-12-31T00:00:00Z', new Date(now + 2 * DAY).toISOString()]) {
      await expect(
        t.services.caseTimeline.recordEvent(caseId, officer, { type: 'charged', occurredAt }),
        occurredAt,
      ).rejects.toMatchObject({
        code: 'invalid',
        field: 'occurredAt',
        message: 'The date it happened cannot be more than a day from now',
      });
    }
    expect(
      await t.services.db.selectFrom('case_events').select('id').where('report_id', '=', reportId).execute(),
    ).toEqual([]);
    await t.services.caseTimeline.recordEvent(caseId, officer, {
      type: 'suspect-arrested',
      occurredAt: new Date(now + DAY - 60_000).toISOString(),
    });
    await t.services.caseTimeline.recordEvent(caseId, officer, {
      type: 'charged',
      occurredAt: new Date(now - DAY).toISOString(),
    });
  });

  it('keeps task due dates real and within ten years of today', async () => {
    const { reference } = await t.app
      .inject({ method: 'POST', url: '/api/v1/reports', payload: { account: 'Threatened me' } })
      .then((r) => r.json());
    const today = ukDate(t.clock.now());
    const add = async (dueOn: string) => {
      await caseworker.browser.get(`/staff/reports/${reference}`);
      return caseworker.browser.post(`/staff/reports/${reference}/tasks`, {
        title: 'Ring her back',
        dueOn,
        owner: caseworker.userId,
      });
    };
    for (const [dueOn, says] of [
      ['0001-01-01', 'Enter a real due date, like 2026-12-01'],
      ['2026-02-29', 'Enter a real due date, like 2026-12-01'],
      [addYears(today, 11), 'The due date must be within ten years of today'],
      [addYears(addDays(today, -1), -10), 'The due date must be within ten years of today'],
    ]) {
      const res = await add(dueOn!);
      expect(res.statusCode, dueOn).toBe(400);
      expect(res.body, dueOn).toContain(says);
      expect(res.body).toContain('href="#task-dueOn"');
    }
    expect(await t.services.db.selectFrom('case_tasks').select('id').execute()).toEqual([]);
    for (const dueOn of [today, addYears(today, 10)]) expect((await add(dueOn)).statusCode, dueOn).toBe(303);
  });
});
