import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { caseWorld, wholeCase, type CaseWorld, type Plants } from '../../../test/support/wholeCase.ts';
import type { SubjectAccessFile } from './subjectAccess.ts';

/** Nothing of the charity's own notes, the police's case, other people or another report. */
function expectNothingInternal(text: string, w: CaseWorld, plants: Plants, other: Plants) {
  for (const [part, value] of Object.entries(plants.internal)) expect(text, part).not.toContain(value);
  expect(text).not.toContain(plants.flag);
  expect(text).not.toContain('flag:');
  for (const staff of [w.officer, w.supervisor, w.caseworker, w.liaison]) {
    expect(text).not.toContain(staff.email);
    expect(text).not.toContain(staff.userId);
  }
  for (const value of [...Object.values(other.own), ...Object.values(other.internal)])
    if (!value.startsWith('0770')) expect(text).not.toContain(value);
}

describe.each(testDatabases)('the person’s own data (subject access) on %s', (kind) => {
  let t: TestApp;
  let w: CaseWorld;
  let mine: Awaited<ReturnType<typeof wholeCase>>;
  let other: Awaited<ReturnType<typeof wholeCase>>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    w = await caseWorld(t);
    mine = await wholeCase(w, 'MINE');
    other = await wholeCase(w, 'OTHER');
  }, 180_000);
  afterAll(async () => t.close());

  it('downloads from Check your report exactly what is held about the report, as a JSON file', async () => {
    const res = await mine.person.get('/check/my-report.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="my-report.json"');
    expect(res.headers['cache-control']).toBe('no-store');
    const file = JSON.parse(res.body) as SubjectAccessFile;
    expect(file.heldBy).toBe('Safe Streets');
    expect(file.person).toBeUndefined();
    expect(file.reports.map((r) => r.reference)).toEqual([mine.reference]);
    const [report] = file.reports;
    const own = mine.plants.own;
    expect(report!.whatYouToldUs.account).toBe(own.account);
    expect(report!.whatYouToldUs.answers).toEqual(
      expect.arrayContaining([
        { question: 'Where', answer: own.place },
        { question: 'Their names', answer: own.perpetrator },
        { question: 'Your name', answer: own.contactName },
        { question: 'How to reach you', answer: `Text message: ${own.contactValue}` },
      ]),
    );
    expect(report!.additions).toEqual([{ at: expect.any(String), text: own.addition }]);
    expect(report!.messages.map((m) => [m.from, m.text])).toEqual([
      ['you', own.messageFromPerson],
      ['the charity', own.messageFromCharity],
    ]);
    expect(report!.updatesFromTheCharity.map((u) => u.text)).toEqual([own.update]);
    expect(report!.choices.map((c) => c.text)).toContain('Agreed: Help to report it to the police');
    expect(report!.sharedWithThePolice).toEqual([
      expect.objectContaining({ force: 'Northshire Police', what: expect.stringContaining('without your name') }),
      expect.objectContaining({
        force: 'Northshire Police',
        what: expect.stringContaining('your full report'),
        answer: 'Northshire Police accepted it.',
        answeredAt: expect.any(String),
      }),
    ]);
    expect(report!.warningsMadeFromIt.join(' ')).toContain(own.warningTitle);
    const happened = report!.whatHappened.map((e) => e.text).join('\n');
    expect(happened).toContain('We received your report.');
    expect(happened).toContain('Kerina is looking after your report.');
    expect(happened).toContain(own.venue);
    expect(report!.whatHappened[0]!.text).toBe('We received your report.');
    expect(Date.parse(report!.sentAt)).not.toBeNaN();
    expect(file.notIncluded).toContain('case notes');
    expectNothingInternal(res.body, w, mine.plants, other.plants);
  });

  it('shows the same on the printable page, which keeps the public pages’ rules', async () => {
    const page = await mine.person.get('/check/my-report');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('govuk-exit-this-page');
    expect(page.body).toContain('/check/my-report/print.css');
    expect(page.body).toContain('href="/check/my-report.json"');
    for (const part of ['account', 'place', 'addition', 'messageFromPerson', 'messageFromCharity', 'update'] as const)
      expect(page.body, part).toContain(mine.plants.own[part]);
    expect(page.body).toContain('Agreed: Help to report it to the police');
    expect(page.body).toContain('with Northshire Police');
    expectNothingInternal(page.body, w, mine.plants, other.plants);
  });

  it('escapes what the person wrote on the printable page, HTML and spreadsheet formulas alike', async () => {
    const submitted = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: '<script>alert("account")</script> =HYPERLINK("http://evil.example","x")',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: ['<b>Steve</b>'], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    await t.services.reports.addAddition(submitted.reportId, '<img src=x onerror=alert(1)> @SUM(1+1)', null);
    const person = new TestBrowser(t.app);
    await person.get('/check');
    await person.post('/check', { code: submitted.receiptCode! });
    const page = (await person.get('/check/my-report')).body;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<b>Steve</b>');
    expect(page).toContain(
      '&lt;script&gt;alert(&quot;account&quot;)&lt;/script&gt; =HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)',
    );
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; @SUM(1+1)');
    // The file keeps the words exactly as written (it is data, opened by programs, not a page).
    const file = JSON.parse((await person.get('/check/my-report.json')).body) as SubjectAccessFile;
    expect(file.reports[0]!.whatYouToldUs.account).toBe(
      '<script>alert("account")</script> =HYPERLINK("http://evil.example","x")',
    );
  });

  it('needs the receipt code: without a Check your report session there is nothing to download', async () => {
    const stranger = new TestBrowser(t.app);
    for (const url of ['/check/my-report', '/check/my-report.json']) {
      const res = await stranger.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe('/check');
      expect(res.body).not.toContain(mine.plants.own.account);
    }
    // A staff session is not a receipt code either.
    const res = await w.caseworker.browser.get('/check/my-report.json');
    expect(res.statusCode).toBe(303);
  });

  it('gives staff the same for a person record and all its reports, audited, for a request made in person', async () => {
    const record = await w.caseworker.browser.get(`/staff/people/${mine.personId}`);
    expect(record.body).toContain(`href="/staff/people/${mine.personId}/subject-access"`);

    const page = await w.caseworker.browser.get(`/staff/people/${mine.personId}/subject-access`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const part of [
      'workingName',
      'contactValue',
      'codeWord',
      'reachMeMessage',
      'account',
      'addition',
      'messageFromPerson',
      'update',
    ] as const)
      expect(page.body, part).toContain(mine.plants.own[part]);
    expectNothingInternal(page.body, w, mine.plants, other.plants);

    const json = await w.liaison.browser.get(`/staff/people/${mine.personId}/subject-access.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toBe('attachment; filename="subject-access.json"');
    expect(json.headers['cache-control']).toBe('no-store');
    const file = JSON.parse(json.body) as SubjectAccessFile;
    expect(file.person).toMatchObject({
      workingName: mine.plants.own.workingName,
      languages: ['English'],
      contactPoints: [
        expect.objectContaining({
          kind: 'Mobile',
          value: '07700 900456',
          codeWord: mine.plants.own.codeWord,
        }),
      ],
      contactAttempts: [{ at: expect.any(String), how: 'Phone call', outcome: 'No answer' }],
      messagesPassedOnByOutreach: [expect.objectContaining({ message: mine.plants.own.reachMeMessage })],
    });
    expect(file.reports.map((r) => r.reference)).toEqual([mine.reference]);
    expect(file.reports[0]!.whatYouToldUs.account).toBe(mine.plants.own.account);
    expectNothingInternal(json.body, w, mine.plants, other.plants);

    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select(['actor_id', 'target_kind', 'target_id', 'detail'])
      .where('action', '=', 'person.subject-access')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      {
        actor_id: w.caseworker.userId,
        target_kind: 'person',
        target_id: mine.personId,
        detail: JSON.stringify({ reports: 1, format: 'page' }),
      },
      {
        actor_id: w.liaison.userId,
        target_kind: 'person',
        target_id: mine.personId,
        detail: JSON.stringify({ reports: 1, format: 'json' }),
      },
    ]);
  });

  it('is only for those who work cases in the person’s own organisation', async () => {
    const before = await t.services.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('action', '=', 'person.subject-access')
      .execute();
    const callers = [
      await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'analyst', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'caseworker', orgSlug: 'another-charity' }),
      w.officer,
      w.supervisor,
    ];
    for (const caller of callers)
      for (const url of [
        `/staff/people/${mine.personId}/subject-access`,
        `/staff/people/${mine.personId}/subject-access.json`,
      ]) {
        const res = await caller.browser.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain(mine.plants.own.account);
      }
    expect((await w.caseworker.browser.get('/staff/people/no-such-person/subject-access')).statusCode).toBe(404);
    expect(
      (await new TestBrowser(t.app).get(`/staff/people/${mine.personId}/subject-access.json`)).statusCode,
    ).not.toBe(200);
    const after = await t.services.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('action', '=', 'person.subject-access')
      .execute();
    expect(after).toEqual(before);
  });
});
