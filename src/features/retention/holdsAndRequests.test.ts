import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces, consentedReport } from '../../../test/support/policeLiaison.ts';
import { openWithCode, stepUp } from '../../../test/support/retentionWorld.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { reportInputSchema } from '../reporting/reportSchema.ts';

/**
 * Legal holds, the person's deletion request and erasing a person record with
 * a second member of staff, through the real pages (CSRF tokens, TOTP codes).
 */
describe.each(testDatabases)('legal holds and erasure requests on %s', (kind) => {
  let t: TestApp;
  let orgId = '';
  let caseworker: SignedInStaff;
  let second: SignedInStaff;
  let liaison: SignedInStaff;
  let admin: SignedInStaff;
  let actor: Actor;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const { support } = await charityWithForces(t, ['northshire']);
    orgId = support.id;
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    second = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    actor = { kind: 'user', id: caseworker.userId, orgId };
  }, 60_000);
  afterAll(async () => t.close());

  const plainReport = (account: string) =>
    t.services.reports.submit(
      reportInputSchema.parse({ org: 'safe-streets', incidentTypes: ['other'], account, consents: { support: true } }),
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
  const askToDelete = async (code: string) => {
    const { person } = await openWithCode(t, code);
    await person.get('/check/delete');
    await person.post('/check/delete', {});
    return person;
  };
  const erasedAt = async (reportId: string) =>
    (await t.services.db.selectFrom('reports').select('erased_at').where('id', '=', reportId).executeTakeFirstOrThrow())
      .erased_at;

  it('tells the person before they confirm that what was shared with the police stays with the police, only when something was', async () => {
    const shared = await consentedReport(t, 'safe-streets');
    await t.services.referrals.send({ kind: 'user', id: liaison.userId, orgId }, shared.reportId, {
      force: 'northshire',
      level: 'intelligence',
    });
    const withPolice = (await openWithCode(t, shared.receiptCode!)).person;
    const page = await withPolice.get('/check/delete');
    expect(page.body).toContain('What was already shared with the police stays with the police.');
    expect(page.body).toContain('id="police-copy"');
    expect(page.body).toContain('Northshire Police');
    expect(page.body).toContain('a person at the charity deletes it within a month');

    const notShared = await plainReport('Nothing shared');
    const alone = (await openWithCode(t, notShared.receiptCode!)).person;
    const quiet = await alone.get('/check/delete');
    expect(quiet.body).not.toContain('stays with the police');
    expect(quiet.body).not.toContain('id="police-copy"');
  });

  it('a legal hold stops erasing at the person’s request, and the person is told in plain words why it is kept', async () => {
    const sent = await plainReport('HOLDME account');
    const person = await askToDelete(sent.receiptCode!);
    const casePage = `/staff/reports/${sent.reference}`;

    // A hold needs a reason; a liaison officer may place one too.
    await liaison.browser.get(casePage);
    const noReason = await liaison.browser.post(`${casePage}/legal-hold`, { holdReason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why the report must be kept');
    expect(noReason.body).toContain('href="#holdReason"');
    const placed = await liaison.browser.post(`${casePage}/legal-hold`, {
      holdReason: 'HOLDREASON Crown Court trial in March',
    });
    expect(placed.statusCode).toBe(303);
    const held = await caseworker.browser.get(casePage);
    expect(held.body).toContain('id="legal-hold"');
    expect(held.body).toContain('HOLDREASON Crown Court trial in March');
    expect(held.body).toContain('id="deletion-held"');
    expect(held.body).not.toContain(`action="${casePage}/erase"`);
    const row = await t.services.db
      .selectFrom('legal_holds')
      .selectAll()
      .where('report_id', '=', sent.reportId)
      .executeTakeFirstOrThrow();
    expect(row.reason_enc).not.toContain('HOLDREASON');

    // The person is told it is kept for now, in general terms: never the reason itself.
    const mine = await person.get('/check/report');
    expect(mine.body).toContain('id="delete-kept"');
    expect(mine.body).toContain('We are keeping your report for now.');
    expect(mine.body).not.toContain('HOLDREASON');

    // Even a crafted post with a fresh code cannot erase it.
    await stepUp(t, caseworker, casePage);
    await caseworker.browser.get(casePage);
    const refused = await caseworker.browser.post(`${casePage}/erase`, { confirm: 'yes' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This report is on legal hold');
    expect(await erasedAt(sent.reportId)).toBeNull();
    await expect(t.services.retention.eraseOnRequest(actor, sent.reportId)).rejects.toThrow(/legal hold/);

    // Released: the person no longer reads that it is kept, and it can be erased.
    await caseworker.browser.get(casePage);
    expect((await caseworker.browser.post(`${casePage}/legal-hold/release`, {})).statusCode).toBe(303);
    expect((await person.get('/check/report')).body).not.toContain('id="delete-kept"');
    await caseworker.browser.get(casePage);
    expect((await caseworker.browser.post(`${casePage}/erase`, { confirm: 'yes' })).statusCode).toBe(303);
    expect(await erasedAt(sent.reportId)).not.toBeNull();
    const inbox = await caseworker.browser.get('/staff/reports');
    expect(inbox.body).toMatch(new RegExp(`${sent.reference}[\\s\\S]*?Erased</strong>`));
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', sent.reportId).execute()
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['report.legal-hold-placed', 'report.legal-hold-released', 'report.erased']),
    );
  });

  it('erases from the case page only a report whose person asked', async () => {
    const sent = await plainReport('Not asked');
    await expect(t.services.retention.eraseOnRequest(actor, sent.reportId)).rejects.toThrow(/has not asked/);
    const page = await caseworker.browser.get(`/staff/reports/${sent.reference}`);
    expect(page.body).not.toContain('id="deletion-request"');
    expect(await erasedAt(sent.reportId)).toBeNull();
  });

  it('erases a person record only when a different member of staff confirms, with everything linked to it', async () => {
    const first = await plainReport('PERSONONE first');
    const other = await plainReport('PERSONONE second');
    const person = await t.services.people.create(
      actor,
      { workingName: 'PERSONONE name', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
      first.reportId,
    );
    await t.services.people.linkReport(actor, person.id, other.reference);
    const page = `/staff/people/${person.id}/erasure`;

    await caseworker.browser.get(page);
    const why = await caseworker.browser.post(page, {});
    expect(why.statusCode).toBe(400);
    expect(why.body).toContain('Choose why the record is to be erased');
    expect((await caseworker.browser.post(page, { because: 'request' })).statusCode).toBe(303);
    const asked = await caseworker.browser.get(page);
    expect(asked.body).toContain('id="needs-second"');
    expect(asked.body).not.toContain(`action="${page}/confirm"`);

    // The one who asked cannot confirm, even with a fresh code and a crafted post.
    await stepUp(t, caseworker, page);
    await caseworker.browser.get(page);
    const self = await caseworker.browser.post(`${page}/confirm`, { confirm: 'yes' });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('A different member of staff must confirm');
    await expect(t.services.personErasure.confirm(actor, person.id)).rejects.toThrow(/different member of staff/);
    expect(await t.services.db.selectFrom('people').select('id').where('id', '=', person.id).execute()).toHaveLength(1);

    // A second member of staff confirms, after a fresh code.
    t.clock.advance(6 * 60_000);
    const seen = await second.browser.get(page);
    expect(seen.body).toContain(`action="${page}/confirm"`);
    const stale = await second.browser.post(`${page}/confirm`, { confirm: 'yes' });
    expect(stale.statusCode).toBe(403);
    await stepUp(t, second, page);
    await second.browser.get(page);
    expect((await second.browser.post(`${page}/confirm`, { confirm: 'yes' })).statusCode).toBe(303);

    expect(await t.services.db.selectFrom('people').select('id').where('id', '=', person.id).execute()).toEqual([]);
    for (const r of [first, other]) {
      expect(await erasedAt(r.reportId)).not.toBeNull();
      const casePage = await caseworker.browser.get(`/staff/reports/${r.reference}`);
      expect(casePage.body).toMatch(/Erased at the person&#39;s request on/);
      expect(casePage.body).not.toContain('PERSONONE');
    }
    const confirmed = await t.services.db
      .selectFrom('person_erasures')
      .selectAll()
      .where('person_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(confirmed).toMatchObject({ requested_by: caseworker.userId, confirmed_by: second.userId });
    const actions = (
      await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', person.id).execute()
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['person.erasure-requested', 'person.erasure-confirmed', 'person.erased']),
    );
  });

  it('refuses to erase a person record while one of its reports is on legal hold, changing nothing', async () => {
    const kept = await plainReport('PERSONTWO held');
    const free = await plainReport('PERSONTWO free');
    const person = await t.services.people.create(
      actor,
      { workingName: 'PERSONTWO name', otherNames: [], languages: [], interpreter: 'unknown', notes: '' },
      kept.reportId,
    );
    await t.services.people.linkReport(actor, person.id, free.reference);
    await t.services.legalHolds.place(actor, kept.reportId, 'Civil claim');
    await t.services.personErasure.ask(actor, person.id, 'retention');
    const page = `/staff/people/${person.id}/erasure`;
    await stepUp(t, second, page);
    const shown = await second.browser.get(page);
    expect(shown.body).toContain('legal hold');
    const refused = await second.browser.post(`${page}/confirm`, { confirm: 'yes' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`Report ${kept.reference} is on legal hold`);
    expect(await erasedAt(kept.reportId)).toBeNull();
    expect(await erasedAt(free.reportId)).toBeNull();
    expect(await t.services.db.selectFrom('people').select('id').where('id', '=', person.id).execute()).toHaveLength(1);
    // The request is still open for when the hold is released.
    expect((await second.browser.get(page)).body).toContain('id="erasure-asked"');
  });

  it('lets support administrators set the schedule, with defaults and a reason beside each, every change audited', async () => {
    const page = await admin.browser.get('/admin/retention');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('These are the defaults');
    for (const [field, value] of [
      ['uncontactedMonths', '24'],
      ['closedYears', '6'],
      ['memberInactiveMonths', '12'],
      ['auditYears', '7'],
      ['requestDays', '30'],
    ])
      expect(page.body).toMatch(new RegExp(`name="${field}"[^>]*value="${value}"`));
    expect(page.body).toContain('limitation');
    expect(page.body).toContain('<strong>24 hours</strong>');
    // The deletion requests still waiting: the one on hold is marked.
    expect(page.body).toContain('id="requests"');

    const bad = await admin.browser.post('/admin/retention', {
      uncontactedMonths: 'two',
      closedYears: '6',
      memberInactiveMonths: '12',
      auditYears: '3',
      requestDays: '45',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a whole number of months, like 24');
    expect(bad.body).toContain('Audit entries: enter a number between 7 and 25 years');
    expect(bad.body).toContain('between 1 and 30 days');
    expect(bad.body).toContain('href="#auditYears"');
    expect(bad.body).toContain('value="two"');

    const saved = await admin.browser.post('/admin/retention', {
      uncontactedMonths: '18',
      closedYears: '8',
      memberInactiveMonths: '12',
      auditYears: '7',
      requestDays: '20',
    });
    expect(saved.headers.location).toBe('/admin/retention?saved=1');
    expect(await t.services.retention.schedule(orgId)).toMatchObject({
      uncontactedMonths: 18,
      closedYears: 8,
      requestDays: 20,
    });
    const entry = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'retention.schedule-changed')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail)).toEqual({ uncontactedMonths: '24→18', closedYears: '6→8', requestDays: '30→20' });
    expect(entry.actor_id).toBe(admin.userId);
    // The due date on a case follows the schedule.
    const sent = await plainReport('Due soon');
    await askToDelete(sent.receiptCode!);
    const due = new Date(t.clock.now().getTime() + 20 * 86_400_000).toISOString().slice(0, 10);
    expect((await caseworker.browser.get(`/staff/reports/${sent.reference}`)).body).toContain(
      `Due by <strong>${due}</strong>`,
    );
  });

  it('keeps the schedule page to support administrators', async () => {
    expect((await caseworker.browser.get('/admin/retention')).statusCode).toBe(403);
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police', orgSlug: 'northshire' });
    expect((await policeAdmin.browser.get('/admin/retention')).statusCode).toBe(403);
    await caseworker.browser.get('/staff');
    expect((await caseworker.browser.post('/admin/retention', { requestDays: '1' })).statusCode).toBe(403);
    expect((await admin.browser.get('/staff')).body).toContain('href="/admin/retention"');
  });
});
