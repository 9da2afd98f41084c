import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces } from '../../../test/support/policeLiaison.ts';
import {
  everythingStored,
  openWithCode,
  richReport,
  statistics,
  stepUp,
  storedSecrets,
  type RichReport,
} from '../../../test/support/retentionWorld.ts';
import { createStaff, signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { reportInputSchema } from '../reporting/reportSchema.ts';

/**
 * Erasing a report at the person's request, from the case page: the personal
 * content leaves the database entirely (the SQLite file and its WAL, or a
 * PostgreSQL dump), the anonymous skeleton keeps every count true, the audit
 * chain still verifies, and what the police were given stays with them.
 */
describe.each(testDatabases)('erasing a report on %s', (kind) => {
  let t: TestApp;
  let caseworker: SignedInStaff;
  let orgId = '';
  let worker: Actor;
  let rich: RichReport;
  let before: Awaited<ReturnType<typeof statistics>>;
  let secrets: string[];
  let policeAccountBefore = '';
  const MARK = `ERASEME${kind.toUpperCase()}7731`;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const { support } = await charityWithForces(t, ['northshire']);
    orgId = support.id;
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const approver = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    worker = { kind: 'user', id: caseworker.userId, orgId };
    rich = await richReport(t, {
      org: 'safe-streets',
      orgId,
      marker: MARK,
      worker,
      approver: { kind: 'user', id: approver.userId, orgId },
      liaison: { kind: 'user', id: liaison.userId, orgId },
      force: 'northshire',
    });
    // Another report that stays as it is, so the counts cover more than the erased one.
    await t.services.reports.submit(
      reportInputSchema.parse({
        org: 'safe-streets',
        incidentTypes: ['robbery-or-theft'],
        account: 'KEPT-ACCOUNT',
        consents: { support: true },
      }),
      { source: 'phone', recordedBy: null, idempotencyKey: undefined },
    );
    const referral = await t.services.db
      .selectFrom('referrals')
      .select('content_enc')
      .where('id', '=', rich.referralId)
      .executeTakeFirstOrThrow();
    policeAccountBefore = referral.content_enc;
    // The person asks through Check your report.
    const { person } = await openWithCode(t, rich.receiptCode);
    await person.get('/check/delete');
    expect((await person.post('/check/delete', {})).headers.location).toBe('/check/report?done=delete');
    before = await statistics(t);
    secrets = await storedSecrets(t, rich);
    expect(secrets.length).toBeGreaterThan(40);
    // Before erasure, the planted text's ciphertexts are all there.
    const stored = await everythingStored(t, kind);
    for (const secret of secrets) expect(stored).toContain(secret);
  }, 120_000);
  afterAll(async () => t.close());

  it('shows the request with its due date, and erases from the case page only after a fresh security code', async () => {
    const page = await caseworker.browser.get(`/staff/reports/${rich.reference}`);
    expect(page.body).toContain('id="deletion-request"');
    const due = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(page.body).toContain(`Due by <strong>${due}</strong>`);
    // The form is checked before the code is asked for.
    const unticked = await caseworker.browser.post(`/staff/reports/${rich.reference}/erase`, {});
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('Tick the box to confirm the report should be erased now');
    t.clock.advance(6 * 60_000);
    await caseworker.browser.get(`/staff/reports/${rich.reference}`);
    const stale = await caseworker.browser.post(`/staff/reports/${rich.reference}/erase`, { confirm: 'yes' });
    expect(stale.statusCode).toBe(403);
    expect(await t.services.reports.erasure(rich.reportId)).toBeNull();
    await stepUp(t, caseworker, `/staff/reports/${rich.reference}`);
    await caseworker.browser.get(`/staff/reports/${rich.reference}`);
    const erased = await caseworker.browser.post(`/staff/reports/${rich.reference}/erase`, { confirm: 'yes' });
    expect(erased.statusCode).toBe(303);
    const after = await caseworker.browser.follow(erased);
    expect(after.body).toMatch(/Erased at the person&#39;s request on \d{1,2} [A-Z][a-z]+ \d{4}/);
    for (const marker of rich.markers) expect(after.body).not.toContain(marker);
  });

  it('leaves none of the personal content, and none of its ciphertexts or look-ups, anywhere the database keeps data', async () => {
    const stored = await everythingStored(t, kind);
    expect(stored.length).toBeGreaterThan(10_000);
    for (const marker of rich.markers) expect(stored).not.toContain(marker);
    for (const secret of secrets) expect(stored, secret.slice(0, 20)).not.toContain(secret);
    const db = t.services.db;
    const report = await db.selectFrom('reports').selectAll().where('id', '=', rich.reportId).executeTakeFirstOrThrow();
    expect(await t.services.cipher.decrypt(report.account_enc, 'reports.account')).toBe('');
    expect(await t.services.cipher.decrypt(report.details_enc, 'reports.details')).toBe('{}');
    expect(report).toMatchObject({
      contact_enc: null,
      area_enc: null,
      person_id: null,
      idempotency_hash: null,
      erased_because: 'request',
      status: 'closed',
    });
    for (const table of [
      'report_messages',
      'report_additions',
      'case_notes',
      'case_tasks',
      'person_updates',
      'reporter_sessions',
    ] as const)
      expect(
        await db.selectFrom(table).select('report_id').where('report_id', '=', rich.reportId).execute(),
        table,
      ).toEqual([]);
    const people = [rich.personId, rich.mergedPersonId];
    expect(await db.selectFrom('people').select('id').where('id', 'in', people).execute()).toEqual([]);
    for (const table of ['contact_points', 'contact_attempts', 'reach_me_entries', 'person_events'] as const)
      expect(await db.selectFrom(table).select('id').where('person_id', 'in', people).execute(), table).toEqual([]);
    // Blind-index rows of the warnings made from it are gone; the draft is gone, the published one withdrawn and emptied.
    const warnings = [rich.publishedWarningId, rich.draftWarningId];
    expect(
      await db.selectFrom('warning_identifiers').select('id').where('warning_id', 'in', warnings).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('warning_reports').select('report_id').where('report_id', '=', rich.reportId).execute(),
    ).toEqual([]);
    expect(await db.selectFrom('warnings').select('id').where('id', '=', rich.draftWarningId).execute()).toEqual([]);
    const published = await db
      .selectFrom('warnings')
      .selectAll()
      .where('id', '=', rich.publishedWarningId)
      .executeTakeFirstOrThrow();
    expect(published.status).toBe('withdrawn');
    expect(await t.services.cipher.decrypt(published.title_enc, 'warnings.title')).toBe('');
    // A phone check finds nothing any more.
    expect(await t.services.warnings.check(orgId, { kind: 'phone', phone: '+447700900777' })).toEqual([]);
  });

  it('keeps every count the same: reports per month, type, source and area, referrals, warnings', async () => {
    expect(await statistics(t)).toEqual(before);
    const consents = await t.services.consent.history(rich.reportId);
    expect(consents.length).toBeGreaterThanOrEqual(5);
    const history = await t.services.caseWork.timeline(rich.reportId);
    expect(history.map((e) => e.text)).toContain('Set status to closed');
  });

  it('keeps the audit chain verifying, and no audit entry held any of the personal content', async () => {
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
    const entries = await t.services.db.selectFrom('audit_entries').selectAll().execute();
    const text = JSON.stringify(entries);
    for (const marker of rich.markers) expect(text).not.toContain(marker);
    expect(entries.some((e) => e.action === 'report.erased' && e.target_id === rich.reportId)).toBe(true);
    expect(entries.some((e) => e.action === 'person.erased' && e.target_id === rich.personId)).toBe(true);
  });

  it('leaves with the police what was shared with them: the force reads its copy as before', async () => {
    const referral = await t.services.db
      .selectFrom('referrals')
      .selectAll()
      .where('id', '=', rich.referralId)
      .executeTakeFirstOrThrow();
    expect(referral.content_enc).toBe(policeAccountBefore);
    const supervisor = await createStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' });
    const view = await t.services.referrals.policeView(
      { kind: 'user', id: supervisor.userId, orgId: supervisor.orgId, role: 'supervisor' },
      rich.referralId,
    );
    expect(view.content?.account).toBe(`${MARK}-ACCOUNT he hurt me`);
  });

  it('opens with the receipt code only to say it was erased and when, and nothing can be added', async () => {
    const { person, page } = await openWithCode(t, rich.receiptCode);
    expect(page.statusCode).toBe(410);
    expect(page.body).toMatch(/Erased at your request on \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(page.body).not.toContain(rich.reference);
    for (const marker of rich.markers) expect(page.body).not.toContain(marker);
    expect((await person.get('/check/report')).headers.location).toBe('/check');
    const api = await t.app.inject({
      url: '/api/v1/reports/self',
      headers: { authorization: `Receipt ${rich.receiptCode}` },
    });
    expect(api.statusCode).toBe(410);
    expect(api.json().error.code).toBe('report_erased');
    // Staff cannot write to it either: the case page refuses, and the API no longer finds it.
    await caseworker.browser.get(`/staff/reports/${rich.reference}`);
    const note = await caseworker.browser.post(`/staff/reports/${rich.reference}/notes`, { note: 'after erasure' });
    expect(note.statusCode).toBe(409);
    expect(await t.services.caseWork.reportId(orgId, rich.reference)).toBeUndefined();
    // The API shows the skeleton and says when and why it was erased.
    const { token } = await t.services.apiTokens.create(
      { orgSlug: 'safe-streets', role: 'caseworker', name: 'Case system' },
      { kind: 'system' },
    );
    const skeleton = await t.app.inject({
      url: `/api/v1/reports/${rich.reference}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(skeleton.statusCode).toBe(200);
    expect(skeleton.json()).toMatchObject({
      account: '',
      details: {},
      messages: [],
      incidentTypes: ['physical-assault', 'robbery-or-theft'],
      erased: { because: 'request' },
    });
    expect(skeleton.body).not.toContain(MARK);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${rich.reference}/messages`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ body: 'after erasure' }),
    });
    expect(reply.statusCode).toBe(404);
    expect(
      await t.services.db.selectFrom('case_notes').select('id').where('report_id', '=', rich.reportId).execute(),
    ).toEqual([]);
  });
});

/**
 * Every table that points at a report, a person record, a member or a
 * warning is either erased, emptied or kept on purpose: a new table that
 * holds such rows fails this until someone decides what erasure does with it.
 */
describe('what erasure does with each table that points at a report, person, member or warning', () => {
  const DECIDED: Record<string, string> = {
    reports: 'emptied to its skeleton: what the person wrote goes; dates, types, area, source and status stay',
    report_messages: 'deleted',
    report_additions: 'deleted',
    case_notes: 'deleted',
    case_tasks: 'deleted',
    person_updates: 'deleted',
    reporter_sessions: 'deleted',
    case_events: 'kept: kinds, dates and actors; a closing reason is removed',
    consent_entries: 'kept: scope, decision, method and dates (no free text)',
    engagement_changes: 'kept: status, reasons (fixed words) and dates; the note is removed',
    engagement_current: 'kept: status and date only',
    attrition_watch: 'derived: its row goes (an erased report is closed, and a closed report has none)',
    report_tags: 'derived: types, fixed risk flags and choices, which stay',
    person_requests: 'kept: the kind of request and its date',
    legal_holds: 'kept: dates; the reasons of released holds are emptied (a hold in force stops erasure)',
    referrals: "kept: the force's copy of what was shared stays with the police",
    warning_reports: 'deleted',
    warnings: 'a draft is deleted; a published one is emptied and withdrawn',
    warning_identifiers: 'deleted (blind-index rows)',
    warning_events: 'kept: kinds and dates; details emptied',
    alert_outbox: "deleted when not yet sent (the warning's words); sent rows hold none",
    contact_points: 'deleted with the person record',
    contact_attempts: 'deleted with the person record',
    reach_me_entries: 'deleted with the person record',
    person_events: 'deleted with the person record',
    case_contact_requests: "kept (the police's request); its pointers to the person record are removed",
    person_erasures: 'kept: who asked, who confirmed and when (ids only)',
    members: 'deleted when unused past the schedule',
    member_sessions: 'deleted with the member',
  };

  it('has decided for every such table', async () => {
    const t = await startTestApp('sqlite');
    try {
      const tables = await t.services.db.introspection.getTables();
      const pointing = tables
        .filter((table) =>
          table.columns.some((c) => ['report_id', 'person_id', 'member_id', 'warning_id'].includes(c.name)),
        )
        .map((table) => table.name);
      // The records themselves, besides what points at them (people are deleted with their record).
      expect([...pointing, 'members', 'warnings'].sort()).toEqual(Object.keys(DECIDED).sort());
    } finally {
      await t.close();
    }
  });
});
