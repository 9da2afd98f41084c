import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('checking a report with the receipt code on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  async function newReport() {
    const submitted = await t.services.reports.submit(
      {
        incidentTypes: ['robbery-or-theft'],
        account: 'Took my phone',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: true,
          policeContact: true,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    return { ...submitted, code: submitted.receiptCode! };
  }

  async function open(code: string) {
    const browser = new TestBrowser(t.app);
    await browser.get('/check');
    const res = await browser.post('/check', { code: `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}` });
    expect(res.headers.location).toBe('/check/report');
    return browser;
  }

  it('shows status, lets the person message, add something and change choices', async () => {
    const { code, reportId, reference } = await newReport();
    const browser = await open(code);
    const page = await browser.get('/check/report');
    expect(page.body).toContain(reference);
    expect(page.body).toContain('A support worker will look at it soon');
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    await t.services.reports.addMessage(reportId, 'Hello, this is Kerina from the drop-in.', {
      sender: 'support',
      userId: caseworker.userId,
    });
    await browser.get('/check/report');
    expect((await browser.post('/check/messages', { body: 'Thank you, text me after 6.' })).headers.location).toBe(
      '/check/report#messages',
    );
    expect(
      (await browser.post('/check/additions', { text: 'He had a scar on his left hand.' }, browser.lastPage))
        .statusCode,
    ).toBe(303);
    const after = await browser.get('/check/report');
    expect(after.body).toContain('Hello, this is Kerina from the drop-in.');
    expect(after.body).toContain('Thank you, text me after 6.');
    expect(after.body).toContain('He had a scar on his left hand.');
    const empty = await browser.post('/check/messages', { body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write a message');
    await browser.get('/check/report');
    expect((await browser.post('/check/consents', { scope: 'policeReport', given: 'no' })).statusCode).toBe(303);
    expect(await t.services.consent.current(reportId)).toMatchObject({
      policeReport: false,
      policeContact: false,
      support: true,
    });
  });

  it('refuses a wrong code with one message and opens nothing', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/check');
    const res = await browser.post('/check', { code: '1111 2222 3333 4444' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('That code did not work');
    expect((await browser.get('/check/report')).headers.location).toBe('/check');
  });

  it('ends after 15 idle minutes, and at once when the person leaves the site', async () => {
    const { code } = await newReport();
    const browser = await open(code);
    t.clock.advance(14 * 60_000);
    expect((await browser.get('/check/report')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000);
    expect((await browser.get('/check/report')).headers.location).toBe('/check');

    const again = await open(code);
    expect((await again.get('/check/report')).statusCode).toBe(200);
    const cookie = again.cookie('check')!;
    await again.get('/leave');
    const replay = await t.app.inject({ url: '/check/report', headers: { cookie: `check=${cookie}` } });
    expect(replay.headers.location).toBe('/check');
  });
});
