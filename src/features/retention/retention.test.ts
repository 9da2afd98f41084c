import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { createStaff } from '../../../test/support/staff.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { reportInputSchema } from '../reporting/reportSchema.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `months` calendar months after `from` (UTC); `from` is on the 15th, so every month has the day. */
function monthsAfter(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/**
 * The nightly schedule on a moving clock, with the defaults: a record just
 * inside each period is kept, one just outside it is erased; later activity
 * restarts the count, and a legal hold keeps a report whatever its age.
 */
describe.each(testDatabases)('the retention schedule on a moving clock on %s', (kind) => {
  let t: TestApp;
  let orgId = '';
  let worker: Actor;
  let start: Date;
  const ids: Record<string, string> = {};
  let memberCode = '';

  /** Moves the test clock to `to`. */
  const moveTo = (to: Date) => t.clock.advance(to.getTime() - t.clock.now().getTime());
  const erased = async (name: string) =>
    (
      await t.services.db
        .selectFrom('reports')
        .select('erased_at')
        .where('id', '=', ids[name]!)
        .executeTakeFirstOrThrow()
    ).erased_at !== null;
  const memberExists = async (id: string) =>
    (await t.services.db.selectFrom('members').select('id').where('id', '=', id).execute()).length === 1;
  const report = async (name: string, input: Record<string, unknown>) => {
    const sent = await t.services.reports.submit(
      reportInputSchema.parse({
        org: 'keep-safe',
        incidentTypes: ['physical-assault'],
        account: `${name} happened`,
        consents: { support: true },
        ...input,
      }),
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    ids[name] = sent.reportId;
    return sent.reportId;
  };
  const close = (reportId: string) =>
    t.services.triage.apply(worker, reportId, {
      status: 'closed',
      reason: 'done',
      assignee: '',
      priority: 'normal',
      flags: [],
    });

  beforeAll(async () => {
    t = await startTestApp(kind);
    // Start on the 15th at noon, so adding months lands on the same day.
    const now = t.clock.now();
    const fifteenth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15, 12));
    moveTo(fifteenth);
    start = fifteenth;
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Keep Safe', slug: 'keep-safe' },
      { kind: 'system' },
    );
    orgId = org.id;
    const staff = await createStaff(t, { role: 'caseworker', orgSlug: 'keep-safe' });
    worker = { kind: 'user', id: staff.userId, orgId };
    moveTo(start);

    await report('uncontacted', {});
    await report('uncontactedLater', {});
    await report('uncontactedHeld', {});
    await report('withContact', { contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456' }] } });
    await close(
      await report('closed', { contact: { name: 'Ann', methods: [{ kind: 'text', value: '07700900457' }] } }),
    );
    await close(
      await report('closedThenMessaged', {
        contact: { name: 'Bea', methods: [{ kind: 'text', value: '07700900458' }] },
      }),
    );
    await t.services.legalHolds.place(worker, ids.uncontactedHeld!, 'Court case pending');
    ids.memberIdle = (await t.services.members.join(orgId, { name: 'Idle member' })).memberId;
    const active = await t.services.members.join(orgId, { name: 'Active member' });
    ids.memberActive = active.memberId;
    memberCode = active.code;

    // A year in: one uncontacted report has a choice changed, and the person writes on a closed case.
    moveTo(monthsAfter(start, 12));
    await t.services.reports.changeConsent(ids.uncontactedLater!, 'warnOthers', true, 'online', null);
    await t.services.reports.addMessage(ids.closedThenMessaged!, 'Thank you again', { sender: 'reporter' });
  }, 60_000);
  afterAll(async () => t.close());

  it('removes a member account unused for just over 12 months, and keeps one used since', async () => {
    moveTo(new Date(monthsAfter(start, 6).getTime()));
    expect((await t.services.members.signInWithCode(memberCode, '203.0.113.9')).ok).toBe(true);
    moveTo(new Date(monthsAfter(start, 12).getTime() - HOUR_MS));
    expect((await t.services.retention.apply()).members).toBe(0);
    expect(await memberExists(ids.memberIdle!)).toBe(true);
    moveTo(new Date(monthsAfter(start, 12).getTime() + HOUR_MS));
    expect((await t.services.retention.apply()).members).toBe(1);
    expect(await memberExists(ids.memberIdle!)).toBe(false);
    expect(await memberExists(ids.memberActive!)).toBe(true);
    moveTo(new Date(monthsAfter(start, 18).getTime() + HOUR_MS));
    await t.services.retention.apply();
    expect(await memberExists(ids.memberActive!)).toBe(false);
  });

  it('erases a report with no contact and nothing shared just after 24 months of quiet, not just before', async () => {
    moveTo(new Date(monthsAfter(start, 24).getTime() - HOUR_MS));
    const early = await t.services.retention.apply();
    expect(early.uncontacted).toBe(0);
    expect(await erased('uncontacted')).toBe(false);
    moveTo(new Date(monthsAfter(start, 24).getTime() + HOUR_MS));
    expect((await t.services.retention.apply()).uncontacted).toBe(1);
    expect(await erased('uncontacted')).toBe(true);
    // Changed a year in: 24 months from then. With contact details: never under this rule.
    expect(await erased('uncontactedLater')).toBe(false);
    expect(await erased('withContact')).toBe(false);
    moveTo(new Date(monthsAfter(start, 36).getTime() - HOUR_MS));
    await t.services.retention.apply();
    expect(await erased('uncontactedLater')).toBe(false);
    moveTo(new Date(monthsAfter(start, 36).getTime() + HOUR_MS));
    await t.services.retention.apply();
    expect(await erased('uncontactedLater')).toBe(true);
    const row = await t.services.db
      .selectFrom('reports')
      .select('erased_because')
      .where('id', '=', ids.uncontacted!)
      .executeTakeFirstOrThrow();
    expect(row.erased_because).toBe('retention');
  });

  it('erases a closed report just after six years, counting from anything that happened later', async () => {
    moveTo(new Date(monthsAfter(start, 72).getTime() - HOUR_MS));
    expect((await t.services.retention.apply()).closed).toBe(0);
    expect(await erased('closed')).toBe(false);
    moveTo(new Date(monthsAfter(start, 72).getTime() + HOUR_MS));
    expect((await t.services.retention.apply()).closed).toBe(1);
    expect(await erased('closed')).toBe(true);
    // The person wrote a year in: six years from then.
    expect(await erased('closedThenMessaged')).toBe(false);
    expect(await erased('withContact')).toBe(false);
    moveTo(new Date(monthsAfter(start, 84).getTime() - HOUR_MS));
    const inside = await t.services.retention.apply();
    expect(await erased('closedThenMessaged')).toBe(false);
    // Nothing in the audit trail is seven years old yet either.
    expect(inside.auditEntries).toBe(0);
    moveTo(new Date(monthsAfter(start, 84).getTime() + HOUR_MS));
    const outside = await t.services.retention.apply();
    expect(await erased('closedThenMessaged')).toBe(true);
    expect(outside.auditEntries).toBeGreaterThan(5);
    // An open report with contact is never erased by the schedule: someone must close it first.
    expect(await erased('withContact')).toBe(false);
  });

  it('trimmed only audit entries older than seven years, from the start of the chain, and the chain still verifies', async () => {
    const left = await t.services.db
      .selectFrom('audit_entries')
      .select(['seq', 'at', 'action'])
      .orderBy('seq')
      .execute();
    const cutoff = monthsAfter(start, 0).getTime() + HOUR_MS;
    expect(left.every((e) => Date.parse(e.at) >= cutoff)).toBe(true);
    // What happened a year in is still there, and so is the entry saying entries were removed.
    expect(left.some((e) => e.action === 'consent.changed')).toBe(true);
    expect(left.some((e) => e.action === 'audit.trimmed')).toBe(true);
    expect(Number(left[0]!.seq)).toBeGreaterThan(1);
    expect(await t.services.audit.verify()).toMatchObject({ ok: true, checked: left.length });
  });

  it('keeps a report on legal hold whatever its age, and erases it at the next run once the hold is released', async () => {
    expect(await erased('uncontactedHeld')).toBe(false);
    await t.services.legalHolds.release(worker, ids.uncontactedHeld!);
    expect((await t.services.retention.apply()).uncontacted).toBe(1);
    expect(await erased('uncontactedHeld')).toBe(true);
  });

  it('runs nightly as the retention.apply job, which says what it did', async () => {
    await t.services.reports.submit(
      reportInputSchema.parse({
        org: 'keep-safe',
        incidentTypes: ['other'],
        account: 'Old one',
        consents: { support: true },
      }),
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const definition = t.services.jobRunner.describe().find((d) => d.type === 'retention.apply');
    expect(definition?.schedule).toBe('15 2 * * *');
    await t.services.jobRunner.syncSchedules();
    moveTo(monthsAfter(t.clock.now(), 25));
    await t.services.jobRunner.syncSchedules();
    t.clock.advance(DAY_MS);
    await t.services.jobRunner.runUntilIdle(['retention.apply']);
    const status = (await t.services.jobsOverview.types()).find((s) => s.type === 'retention.apply');
    expect(status?.lastDetail).toMatch(/^1 report erased, 0 member accounts removed, \d+ audit entr(y|ies) trimmed$/);
  });
});

describe.each(testDatabases)('a run with more reports due than one batch on %s', (kind) => {
  let t: TestApp;
  afterAll(async () => t.close());

  it('erases every one that is due, batch after batch, and passes over those on hold', async () => {
    t = await startTestApp(kind);
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Many', slug: 'many' },
      { kind: 'system' },
    );
    const staff = await createStaff(t, { role: 'caseworker', orgSlug: 'many' });
    const worker: Actor = { kind: 'user', id: staff.userId, orgId: org.id };
    const sent: string[] = [];
    for (let i = 0; i < 105; i += 1) {
      const r = await t.services.reports.submit(
        reportInputSchema.parse({
          org: 'many',
          incidentTypes: ['other'],
          account: `Number ${i}`,
          consents: { support: true },
        }),
        { source: 'online', recordedBy: null, idempotencyKey: undefined },
      );
      sent.push(r.reportId);
      t.clock.advance(1000);
    }
    // The oldest three are held: every batch must look past them, not find them again.
    for (const id of sent.slice(0, 3)) await t.services.legalHolds.place(worker, id, 'Inquiry');
    t.clock.advance(25 * 31 * DAY_MS);
    expect((await t.services.retention.apply()).uncontacted).toBe(102);
    const left = await t.services.db.selectFrom('reports').select('id').where('erased_at', 'is', null).execute();
    expect(left.map((r) => r.id).sort()).toEqual(sent.slice(0, 3).sort());
  }, 120_000);
});
