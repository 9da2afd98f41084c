import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff, type SignedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

const NO_CONSENTS = {
  support: true,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};
const referencesIn = (html: string) => [...new Set(html.match(/R-[A-Z2-9]{4}-[A-Z2-9]{4}/g) ?? [])];

describe.each(testDatabases)('casework: inbox filters, notes, tasks and the casework API on %s', (kind) => {
  let t: TestApp;
  let caseworker: SignedInStaff;
  let liaison: SignedInStaff;
  let other: SignedInStaff;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp(kind);
    orgId = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      )
    ).id;
    const otherId = (
      await t.services.organisations.create(
        { kind: 'support', name: 'Other Place', slug: 'other-place' },
        { kind: 'system' },
      )
    ).id;
    // The inbox filters only on configured areas (typed ones are encrypted), so the areas set below are configured.
    await t.services.organisations.setAreas(orgId, ['Docks', 'Town centre', 'Harbour'], { kind: 'system' });
    await t.services.organisations.setAreas(otherId, ['Docks'], { kind: 'system' });
    caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    liaison = await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    other = await signedInStaff(t, { role: 'caseworker', orgSlug: 'other-place' });
  });
  afterAll(async () => t.close());

  async function report(opts: { types?: string[]; consents?: Partial<typeof NO_CONSENTS>; org?: string } = {}) {
    const submitted = await t.services.reports.submit(
      {
        org: opts.org ?? 'safe-streets',
        incidentTypes: (opts.types ?? ['physical-assault']) as ['physical-assault'],
        account: 'He followed me to the car park',
        consents: { ...NO_CONSENTS, ...opts.consents },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    return { ...submitted, code: submitted.receiptCode! };
  }
  /** Sets what the inbox filters on directly, as if the report had been made then, there, that way. */
  const setColumns = (
    reportId: string,
    columns: { submitted_at?: string; area?: string; source?: 'online' | 'outreach' | 'phone' | 'drop-in' },
  ) => t.services.db.updateTable('reports').set(columns).where('id', '=', reportId).execute();

  describe('inbox filters', () => {
    const r: Record<string, { reportId: string; reference: string }> = {};
    beforeAll(async () => {
      r.old = await report();
      await setColumns(r.old.reportId, { submitted_at: '2026-01-10T12:00:00.000Z', area: 'Docks', source: 'phone' });
      r.robbery = await report({ types: ['robbery-or-theft'] });
      await setColumns(r.robbery.reportId, {
        submitted_at: '2026-03-05T23:59:00.000Z',
        area: 'Town centre',
        source: 'outreach',
      });
      r.police = await report({ consents: { policeReport: true } });
      await setColumns(r.police.reportId, {
        submitted_at: '2026-03-06T00:00:00.000Z',
        area: 'Docks',
        source: 'drop-in',
      });
      r.flagged = await report();
      await setColumns(r.flagged.reportId, { submitted_at: '2026-06-01T09:00:00.000Z', area: 'Town centre' });
      await t.services.triage.apply({ kind: 'user', id: caseworker.userId, orgId }, r.flagged.reportId, {
        status: 'open',
        reason: '',
        assignee: liaison.userId,
        priority: 'high',
        flags: ['injured', 'immediate-danger'],
      });
      r.mine = await report();
      await setColumns(r.mine.reportId, { submitted_at: '2026-06-02T09:00:00.000Z' });
      await t.services.triage.apply({ kind: 'user', id: caseworker.userId, orgId }, r.mine.reportId, {
        status: 'waiting',
        reason: '',
        assignee: caseworker.userId,
        priority: 'normal',
        flags: ['repeat-victim'],
      });
      r.elsewhere = await report({ org: 'other-place' });
      await setColumns(r.elsewhere.reportId, { submitted_at: '2026-06-03T09:00:00.000Z', area: 'Docks' });
    });

    const expectOnly = async (query: string, expected: string[]) => {
      const res = await caseworker.browser.get(`/staff/reports?${query}`);
      expect(res.statusCode, query).toBe(200);
      const shown = referencesIn(res.body).filter((ref) => Object.values(r).some((x) => x.reference === ref));
      expect(shown.sort(), query).toEqual(expected.map((k) => r[k]!.reference).sort());
    };

    it('narrows by each filter, only within the organisation', async () => {
      await expectOnly('', ['old', 'robbery', 'police', 'flagged', 'mine']);
      await expectOnly('from=2026-03-05&to=2026-03-05', ['robbery']);
      await expectOnly('from=2026-03-06', ['police', 'flagged', 'mine']);
      await expectOnly('to=2026-03-06', ['old', 'robbery', 'police']);
      await expectOnly('type=robbery-or-theft', ['robbery']);
      await expectOnly('area=Docks', ['old', 'police']);
      await expectOnly('source=phone', ['old']);
      await expectOnly('source=online', ['flagged', 'mine']);
      await expectOnly('source=drop-in', ['police']);
      await expectOnly('assignee=me', ['mine']);
      await expectOnly('mine=1', ['mine']);
      await expectOnly(`assignee=${liaison.userId}`, ['flagged']);
      await expectOnly('assignee=none', ['old', 'robbery', 'police']);
      await expectOnly('flag=injured', ['flagged']);
      await expectOnly('flag=repeat-victim', ['mine']);
      await expectOnly('consent=policeReport:given', ['police']);
      await expectOnly('consent=policeReport:not', ['old', 'robbery', 'flagged', 'mine']);
      await expectOnly('status=waiting', ['mine']);
      await expectOnly(`q=${r.old!.reference.toLowerCase()}`, ['old']);
      await expectOnly('area=Town+centre&flag=injured&status=open&from=2026-05-01', ['flagged']);
    });

    it('shows priority, risk flags and who looks after each report', async () => {
      const res = await caseworker.browser.get('/staff/reports?flag=injured');
      expect(res.body).toContain('Immediate danger');
      expect(res.body).toContain(liaison.email);
      expect(res.body).toMatch(/govuk-tag--red">high/);
      expect(res.body).toContain('Clear filters');
    });

    it('reports a filter that does not make sense instead of ignoring it', async () => {
      const bad = await caseworker.browser.get('/staff/reports?from=2026-02-30&flag=nonsense');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('There is a problem');
      expect(bad.body).toContain('Enter a real date');
      expect(bad.body).toContain('href="#flag"');
      const backwards = await caseworker.browser.get('/staff/reports?from=2026-05-01&to=2026-01-01');
      expect(backwards.statusCode).toBe(400);
      expect(backwards.body).toContain(
        'The &quot;to&quot; date must be the same as or after the &quot;from&quot; date',
      );
    });

    it('filters the API list the same way, and other organisations see none of it', async () => {
      const token = (
        await t.services.apiTokens.create(
          { orgSlug: 'safe-streets', role: 'caseworker', name: 'Case system' },
          { kind: 'system' },
        )
      ).token;
      const get = async (query: string) => {
        const res = await t.app.inject({
          url: `/api/v1/reports?${query}`,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().items as { reference: string }[])
          .map((i) => i.reference)
          .filter((ref) => Object.values(r).some((x) => x.reference === ref))
          .sort();
      };
      expect(await get('type=robbery-or-theft')).toEqual([r.robbery!.reference]);
      expect(await get('area=Docks&from=2026-03-01')).toEqual([r.police!.reference]);
      expect(await get(`assignee=${liaison.userId}&flag=injured`)).toEqual([r.flagged!.reference]);
      expect(await get('consent=policeReport:given')).toEqual([r.police!.reference]);
      const item = (
        await t.app.inject({ url: '/api/v1/reports?flag=injured', headers: { authorization: `Bearer ${token}` } })
      ).json().items[0];
      expect(item).toMatchObject({
        priority: 'high',
        riskFlags: ['immediate-danger', 'injured'],
        assigneeId: liaison.userId,
      });
      const bad = await t.app.inject({
        url: '/api/v1/reports?from=yesterday',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('query.from');
      const otherToken = (
        await t.services.apiTokens.create(
          { orgSlug: 'other-place', role: 'caseworker', name: 'Other system' },
          { kind: 'system' },
        )
      ).token;
      const theirs = (
        await t.app.inject({ url: '/api/v1/reports?area=Docks', headers: { authorization: `Bearer ${otherToken}` } })
      )
        .json()
        .items.map((i: { reference: string }) => i.reference);
      expect(theirs).toEqual([r.elsewhere!.reference]);
    });

    it('follows changes: a withdrawn choice or a removed flag stops matching at once', async () => {
      const fresh = await report({ consents: { policeReport: true, policeContact: true } });
      await caseworker.browser.get(`/staff/reports/${fresh.reference}`);
      expect(referencesIn((await caseworker.browser.get('/staff/reports?consent=policeContact:given')).body)).toContain(
        fresh.reference,
      );
      // Withdrawing the police report also withdraws police contact (the ledger's rule): both filters follow.
      await caseworker.browser.post(`/staff/reports/${fresh.reference}/consents`, {
        consentScope: 'policeReport',
        consentGiven: 'no',
        consentVia: 'phone',
      });
      expect(
        referencesIn((await caseworker.browser.get('/staff/reports?consent=policeContact:given')).body),
      ).not.toContain(fresh.reference);
      expect(referencesIn((await caseworker.browser.get('/staff/reports?consent=policeReport:not')).body)).toContain(
        fresh.reference,
      );
      await t.services.triage.apply({ kind: 'user', id: caseworker.userId, orgId }, fresh.reportId, {
        status: 'new',
        reason: '',
        assignee: '',
        priority: 'normal',
        flags: ['under-18-suspected'],
      });
      expect(referencesIn((await caseworker.browser.get('/staff/reports?flag=under-18-suspected')).body)).toEqual([
        fresh.reference,
      ]);
      await t.services.triage.apply({ kind: 'user', id: caseworker.userId, orgId }, fresh.reportId, {
        status: 'new',
        reason: '',
        assignee: '',
        priority: 'normal',
        flags: [],
      });
      expect(referencesIn((await caseworker.browser.get('/staff/reports?flag=under-18-suspected')).body)).toEqual([]);
    });

    it('keeps the filters on every page', async () => {
      // 60 more reports in Harbour, half of them by phone (inserted directly: a receipt code hash per report would be slow).
      const template = await t.services.db
        .selectFrom('reports')
        .selectAll()
        .where('id', '=', r.old!.reportId)
        .executeTakeFirstOrThrow();
      const extra = Array.from({ length: 60 }, (_, i) => ({
        ...template,
        id: crypto.randomUUID(),
        reference: `R-${'ABCDEFGHJK'[Math.floor(i / 10)]}${'ABCDEFGHJK'[i % 10]}ZZ-PAGE`,
        receipt_lookup: crypto.randomBytes(32).toString('hex'),
        idempotency_hash: null,
        area: 'Harbour',
        source: i % 2 ? ('phone' as const) : ('outreach' as const),
        submitted_at: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 60_000).toISOString(),
      }));
      await t.services.db.insertInto('reports').values(extra).execute();
      const phone = extra.filter((e) => e.source === 'phone').map((e) => e.reference);
      const first = await caseworker.browser.get('/staff/reports?area=Harbour&source=outreach&to=2025-12-31');
      expect(referencesIn(first.body)).toHaveLength(30);
      await caseworker.browser.get('/staff/reports?area=Harbour');
      const page1 = await caseworker.browser.get('/staff/reports?area=Harbour&source=phone&from=2025-01-01');
      expect(page1.body).not.toContain('rel="prev"');
      const shown1 = referencesIn(page1.body);
      expect(shown1).toHaveLength(30);
      expect(shown1.every((ref) => phone.includes(ref))).toBe(true);
      // With fewer than a page, no "Older" link; narrow to 50+ by dropping source.
      const all1 = await caseworker.browser.get('/staff/reports?area=Harbour&from=2025-01-01');
      const next = /href="(\/staff\/reports\?page=2[^"]*)" rel="next"/.exec(all1.body)?.[1]?.replace(/&amp;/g, '&');
      expect(next).toBeDefined();
      const params = new URL(next!, 'http://x').searchParams;
      expect(params.get('area')).toBe('Harbour');
      expect(params.get('from')).toBe('2025-01-01');
      const page2 = await caseworker.browser.get(next!);
      const shown2 = referencesIn(page2.body);
      expect(shown2).toHaveLength(10);
      expect(shown2.every((ref) => ref.endsWith('-PAGE'))).toBe(true);
      expect(new Set([...referencesIn(all1.body), ...shown2]).size).toBe(60);
      expect(page2.body).toMatch(/href="\/staff\/reports\?page=1&amp;from=2025-01-01&amp;area=Harbour" rel="prev"/);
    });
  });

  describe('notes and tasks', () => {
    it('keeps internal notes encrypted, in the history, and away from the person', async () => {
      const { reference, reportId, code } = await report();
      await caseworker.browser.get(`/staff/reports/${reference}`);
      const empty = await caseworker.browser.post(`/staff/reports/${reference}/notes`, { note: '   ' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('Write the note');
      const ok = await caseworker.browser.post(`/staff/reports/${reference}/notes`, {
        note: 'She seemed frightened of her landlord.',
      });
      expect(ok.headers.location).toBe(`/staff/reports/${reference}#notes`);
      const page = await caseworker.browser.get(`/staff/reports/${reference}`);
      expect(page.body).toMatch(
        new RegExp(
          `id="history"[\\s\\S]*${caseworker.email}[\\s\\S]*Internal note[\\s\\S]*She seemed frightened of her landlord.`,
        ),
      );
      expect(JSON.stringify(await t.services.db.selectFrom('case_notes').selectAll().execute())).not.toContain(
        'frightened',
      );
      const audited = await t.services.db
        .selectFrom('audit_entries')
        .select(['action', 'actor_id'])
        .where('target_id', '=', reportId)
        .execute();
      expect(audited).toContainEqual({ action: 'case.note', actor_id: caseworker.userId });
      // The person's "Check your report" page and the API for it.
      const person = new TestBrowser(t.app);
      await person.get('/check');
      expect((await person.post('/check', { code })).headers.location).toBe('/check/report');
      const check = await person.get('/check/report');
      expect(check.body).toContain(reference);
      expect(check.body).not.toContain('frightened');
      expect(check.body).not.toContain('Internal note');
      const self = await t.app.inject({ url: '/api/v1/reports/self', headers: { authorization: `Receipt ${code}` } });
      expect(self.statusCode).toBe(200);
      expect(self.body).not.toContain('frightened');
    });

    it('adds tasks with an owner and due date, lists mine overdue first, and marks them done', async () => {
      const a = await report();
      const b = await report();
      const today = t.clock.now().toISOString().slice(0, 10);
      const past = new Date(t.clock.now().getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
      const future = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
      await caseworker.browser.get(`/staff/reports/${a.reference}`);
      const bad = await caseworker.browser.post(`/staff/reports/${a.reference}/tasks`, {
        title: 'Ring her back',
        dueOn: '2026-02-31',
        owner: '',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('href="#task-dueOn"');
      expect(bad.body).toContain('value="Ring her back"');
      const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
      await caseworker.browser.get(`/staff/reports/${a.reference}`);
      const notHolder = await caseworker.browser.post(`/staff/reports/${a.reference}/tasks`, {
        title: 'Ring her back',
        dueOn: future,
        owner: outreach.userId,
      });
      expect(notHolder.statusCode).toBe(400);
      expect(notHolder.body).toContain('Choose someone in your organisation who can look after cases');
      expect(
        await t.services.db.selectFrom('case_tasks').select('id').where('report_id', '=', a.reportId).execute(),
      ).toEqual([]);

      await caseworker.browser.get(`/staff/reports/${a.reference}`);
      expect(
        (
          await caseworker.browser.post(`/staff/reports/${a.reference}/tasks`, {
            title: 'Book the interpreter',
            dueOn: future,
            owner: liaison.userId,
          })
        ).statusCode,
      ).toBe(303);
      await caseworker.browser.get(`/staff/reports/${b.reference}`);
      expect(
        (
          await caseworker.browser.post(`/staff/reports/${b.reference}/tasks`, {
            title: 'Check the hostel',
            dueOn: past,
            owner: liaison.userId,
          })
        ).statusCode,
      ).toBe(303);
      await caseworker.browser.get(`/staff/reports/${b.reference}`);
      expect(
        (
          await caseworker.browser.post(`/staff/reports/${b.reference}/tasks`, {
            title: 'Caseworker task',
            dueOn: today,
            owner: caseworker.userId,
          })
        ).statusCode,
      ).toBe(303);

      const mine = await liaison.browser.get('/staff/tasks');
      expect(mine.statusCode).toBe(200);
      expect(mine.body).toMatch(/Check the hostel[\s\S]*Book the interpreter/);
      expect(mine.body).toMatch(new RegExp(`${past} <strong class="govuk-tag govuk-tag--red">overdue`));
      expect(mine.body).not.toContain('Caseworker task');
      expect(JSON.stringify(await t.services.db.selectFrom('case_tasks').selectAll().execute())).not.toContain(
        'hostel',
      );

      const page = await liaison.browser.get(`/staff/reports/${b.reference}`);
      expect(page.body).toMatch(/id="history"[\s\S]*Task added: Check the hostel/);
      const taskId = (
        await t.services.db
          .selectFrom('case_tasks')
          .select('id')
          .where('report_id', '=', b.reportId)
          .where('owner_id', '=', liaison.userId)
          .executeTakeFirstOrThrow()
      ).id;
      expect(
        (await liaison.browser.post(`/staff/reports/${b.reference}/tasks/${taskId}`, { done: 'yes' })).headers.location,
      ).toBe(`/staff/reports/${b.reference}#tasks`);
      expect((await liaison.browser.get('/staff/tasks')).body).not.toContain('Check the hostel');
      const after = await liaison.browser.get(`/staff/reports/${b.reference}`);
      expect(after.body).toMatch(
        new RegExp(
          `${liaison.email}</strong></span><br>\\s*<span class="liaison-timeline__task">Task done: Check the hostel`,
        ),
      );
      expect(after.body).toContain('Mark not done');
      // A task of another case cannot be changed through this one.
      const wrongCase = await liaison.browser.post(`/staff/reports/${a.reference}/tasks/${taskId}`, { done: 'no' });
      expect(wrongCase.statusCode).toBe(400);
      await liaison.browser.get(`/staff/reports/${b.reference}`);
      expect(
        (await liaison.browser.post(`/staff/reports/${b.reference}/tasks/${taskId}`, { done: 'no' })).statusCode,
      ).toBe(303);
      expect((await liaison.browser.get('/staff/tasks')).body).toContain('Check the hostel');
      const actions = (
        await t.services.db.selectFrom('audit_entries').select('action').where('target_id', '=', b.reportId).execute()
      ).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['case.task', 'case.task-done', 'case.task-reopened']));
    });

    it('shows triage, choices, messages, notes and tasks in one history with who did each', async () => {
      const { reference, reportId } = await report({ consents: { policeReport: true } });
      await t.services.reports.addMessage(reportId, 'Can you call me after six?', { sender: 'reporter' });
      await caseworker.browser.get(`/staff/reports/${reference}`);
      await caseworker.browser.post(`/staff/reports/${reference}/triage`, {
        status: 'open',
        assignee: liaison.userId,
        priority: 'urgent',
        flags: ['trafficking-suspected'],
        reason: '',
      });
      await caseworker.browser.get(`/staff/reports/${reference}`);
      await caseworker.browser.post(`/staff/reports/${reference}/messages`, { body: 'Yes, Kerina will ring you.' });
      await liaison.browser.get(`/staff/reports/${reference}`);
      await liaison.browser.post(`/staff/reports/${reference}/consents`, {
        consentScope: 'policeReport',
        consentGiven: 'no',
        consentVia: 'phone',
      });
      const page = await liaison.browser.get(`/staff/reports/${reference}`);
      const history = page.body.slice(page.body.indexOf('id="history"'));
      expect(history).toMatch(/The person<\/strong>[\s\S]*Choice policeReport given \(online\)/);
      expect(history).toMatch(/Message from the person[\s\S]*Can you call me after six\?/);
      expect(history).toContain(`Assigned to ${liaison.email}`);
      expect(history).toContain('Set priority to urgent');
      expect(history).toContain('Set risk flags to Trafficking suspected');
      expect(history).toMatch(
        new RegExp(
          `${caseworker.email}</strong></span><br>\\s*<span class="liaison-timeline__message-out">Reply to the person`,
        ),
      );
      expect(history).toMatch(
        new RegExp(
          `${liaison.email}</strong></span><br>\\s*<span class="liaison-timeline__consent">Choice policeReport withdrawn \\(phone\\)`,
        ),
      );
      // Oldest first.
      expect(history.indexOf('given (online)')).toBeLessThan(history.indexOf('Set priority to urgent'));
      expect(history.indexOf('Set priority to urgent')).toBeLessThan(history.indexOf('withdrawn (phone)'));
    });

    it('keeps other organisations out of notes, tasks and the case page (404)', async () => {
      const { reference, reportId } = await report();
      await other.browser.get('/staff/tasks');
      for (const url of [`/staff/reports/${reference}/notes`, `/staff/reports/${reference}/tasks`]) {
        const res = await other.browser.post(url, { note: 'x', title: 'x', dueOn: '2030-01-01', owner: other.userId });
        expect(res.statusCode, url).toBe(404);
      }
      expect((await other.browser.get(`/staff/reports/${reference}`)).statusCode).toBe(404);
      expect(
        await t.services.db.selectFrom('case_notes').select('id').where('report_id', '=', reportId).execute(),
      ).toEqual([]);
      const outreach = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
      expect((await outreach.browser.get('/staff/tasks')).statusCode).toBe(404);
    });
  });

  describe('casework API', () => {
    let token: string;
    let tokenId: string;
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, bearer = token) =>
      t.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    beforeAll(async () => {
      ({ token, id: tokenId } = await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'liaison', name: 'Case system' },
        { kind: 'system' },
      ));
    });

    it('triages with PATCH, records the token as the actor, and needs a reason to close', async () => {
      const { reference, reportId } = await report();
      const patched = await call('PATCH', `/api/v1/reports/${reference}`, {
        assignee: caseworker.userId,
        priority: 'high',
        flags: ['injured'],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toEqual({
        reference,
        status: 'new',
        priority: 'high',
        riskFlags: ['injured'],
        assigneeId: caseworker.userId,
      });
      const noReason = await call('PATCH', `/api/v1/reports/${reference}`, { status: 'closed' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.message).toContain('body.reason');
      expect((await t.services.triage.current(reportId)).status).toBe('new');
      const wrongAssignee = await call('PATCH', `/api/v1/reports/${reference}`, { assignee: other.userId });
      expect(wrongAssignee.statusCode).toBe(400);
      const closed = await call('PATCH', `/api/v1/reports/${reference}`, { status: 'closed', reason: 'Moved away' });
      expect(closed.json()).toMatchObject({ status: 'closed', priority: 'high', assigneeId: caseworker.userId });
      const events = await t.services.db
        .selectFrom('case_events')
        .select(['actor_kind', 'actor_id', 'kind'])
        .where('report_id', '=', reportId)
        .execute();
      expect(events).toContainEqual({ actor_kind: 'token', actor_id: tokenId, kind: 'status' });
      const audit = await t.services.db
        .selectFrom('audit_entries')
        .select(['actor_kind', 'actor_id', 'action'])
        .where('target_id', '=', reportId)
        .where('action', '=', 'case.status')
        .execute();
      expect(audit).toEqual([{ actor_kind: 'api-token', actor_id: tokenId, action: 'case.status' }]);
    });

    it('records choices, notes and tasks, shown in the history as "API: <token name>"', async () => {
      const { reference, reportId } = await report();
      const consent = await call('POST', `/api/v1/reports/${reference}/consents`, {
        scope: 'policeReport',
        given: true,
        via: 'in-person',
      });
      expect(consent.statusCode, consent.body).toBe(201);
      expect(consent.json().consents).toMatchObject({ policeReport: true });
      const ledger = await t.services.consent.history(reportId);
      expect(ledger.at(-1)).toMatchObject({
        scope: 'policeReport',
        decision: 'given',
        method: 'in-person',
        recorded_by: null,
        recorded_by_token: tokenId,
      });
      const refused = await call('POST', `/api/v1/reports/${reference}/consents`, {
        scope: 'warnOthers',
        given: true,
        via: 'online',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toContain('body.via');

      const note = await call('POST', `/api/v1/reports/${reference}/notes`, { body: 'Spoke through the drop-in.' });
      expect(note.statusCode, note.body).toBe(201);
      const task = await call('POST', `/api/v1/reports/${reference}/tasks`, {
        title: 'Send the leaflet',
        dueOn: '2030-01-01',
        owner: liaison.userId,
      });
      expect(task.statusCode, task.body).toBe(201);
      const badTask = await call('POST', `/api/v1/reports/${reference}/tasks`, {
        title: 'x',
        dueOn: '01/01/2030',
        owner: liaison.userId,
      });
      expect(badTask.json().error.message).toContain('body.dueOn');
      const done = await call('PATCH', `/api/v1/reports/${reference}/tasks/${task.json().id}`, { done: true });
      expect(done.json()).toEqual({ done: true });

      const page = await caseworker.browser.get(`/staff/reports/${reference}`);
      const history = page.body.slice(page.body.indexOf('id="history"'));
      expect(history).toMatch(
        /API: Case system<\/strong><\/span><br>\s*<span class="liaison-timeline__consent">Choice policeReport given \(in-person\)/,
      );
      expect(history).toMatch(
        /API: Case system<\/strong><\/span><br>\s*<span class="liaison-timeline__note">Internal note[\s\S]*Spoke through the drop-in./,
      );
      expect(history).toMatch(
        /API: Case system<\/strong><\/span><br>\s*<span class="liaison-timeline__task">Task added: Send the leaflet/,
      );
      expect(history).toMatch(
        /API: Case system<\/strong><\/span><br>\s*<span class="liaison-timeline__task">Task done: Send the leaflet/,
      );

      const api = await call('GET', `/api/v1/reports/${reference}/history`);
      expect(api.json().events).toContainEqual({
        at: expect.any(String),
        actor: 'API: Case system',
        kind: 'note',
        text: 'Internal note',
        body: 'Spoke through the drop-in.',
      });
      const audited = await t.services.db
        .selectFrom('audit_entries')
        .select('action')
        .where('target_id', '=', reportId)
        .where('actor_id', '=', tokenId)
        .execute();
      expect(audited.map((a) => a.action)).toEqual(
        expect.arrayContaining(['consent.changed', 'case.note', 'case.task', 'case.task-done', 'case.history.viewed']),
      );
    });

    it('answers 404 for another organisation and for roles that do not work cases', async () => {
      const { reference, reportId } = await report();
      const otherToken = (
        await t.services.apiTokens.create(
          { orgSlug: 'other-place', role: 'caseworker', name: 'Theirs' },
          { kind: 'system' },
        )
      ).token;
      const outreachToken = (
        await t.services.apiTokens.create(
          { orgSlug: 'safe-streets', role: 'outreach', name: 'Van' },
          { kind: 'system' },
        )
      ).token;
      for (const bearer of [otherToken, outreachToken]) {
        for (const [method, url, body] of [
          ['PATCH', `/api/v1/reports/${reference}`, { priority: 'urgent' }],
          ['POST', `/api/v1/reports/${reference}/consents`, { scope: 'support', given: false, via: 'phone' }],
          ['POST', `/api/v1/reports/${reference}/notes`, { body: 'x' }],
          ['POST', `/api/v1/reports/${reference}/tasks`, { title: 'x', dueOn: '2030-01-01', owner: liaison.userId }],
          ['GET', `/api/v1/reports/${reference}/history`, undefined],
        ] as const) {
          const res = await call(method, url, body, bearer);
          expect(res.statusCode, `${method} ${url}`).toBe(404);
        }
      }
      expect((await t.services.triage.current(reportId)).priority).toBe('normal');
      expect(
        await t.services.db.selectFrom('case_notes').select('id').where('report_id', '=', reportId).execute(),
      ).toEqual([]);
      expect(await t.services.consent.current(reportId)).toMatchObject({ support: true });
    });
  });
});
