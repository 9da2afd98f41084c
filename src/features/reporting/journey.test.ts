import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the public report journey on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  async function walkTo(browser: TestBrowser, step: string) {
    const order = ['safe', 'what-happened', 'about-them', 'injuries', 'choices', 'contact', 'check'];
    const answers: Record<string, Record<string, string | string[]>> = {
      safe: { safeNow: 'yes' },
      'what-happened': {
        incidentTypes: ['physical-assault', 'robbery-or-theft'],
        account: 'MARKER-JOURNEY-ACCOUNT he took my bag',
        whenMonth: '11',
        whenYear: '2026',
      },
      'about-them': { names: 'Dave\nD', phones: '07700 900123', vehicleRegistration: 'KX?? ?BC' },
      injuries: { injured: 'yes' },
      choices: { consents: ['support', 'warnOthers'] },
      contact: { contactName: 'Ruby', contactKind: 'text', contactValue: '07700 900456', safeToLeaveMessage: 'no' },
    };
    expect((await browser.get('/report')).headers.location).toBe('/report/safe');
    for (const slug of order.slice(0, order.indexOf(step))) {
      await browser.get(`/report/${slug}`);
      const res = await browser.post(`/report/${slug}`, answers[slug]!);
      expect(res.statusCode, `${slug}: ${res.body.slice(0, 200)}`).toBe(303);
    }
    return browser.get(`/report/${step}`);
  }

  it('goes from "are you safe" to a receipt code, and the code opens the report', async () => {
    const browser = new TestBrowser(t.app);
    const check = await walkTo(browser, 'check');
    expect(check.body).toContain('Check your answers');
    expect(check.body).toContain('MARKER-JOURNEY-ACCOUNT');
    const sent = await browser.post('/report/check', {});
    expect(sent.statusCode).toBe(200);
    const code = /id="receipt-code"[^>]*>([\d ]+)</.exec(sent.body)?.[1];
    const reference = /id="report-reference">([^<]+)</.exec(sent.body)?.[1];
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    const view = await t.app.inject({ url: '/api/v1/reports/self', headers: { authorization: `Receipt ${code}` } });
    expect(view.json()).toMatchObject({
      reference,
      consents: { support: true, warnOthers: true, policeReport: false },
    });
    // Sending again (a double-click) shows the same receipt, and makes no second report.
    const again = await browser.post('/report/check', {}, check.body);
    expect(/id="receipt-code"[^>]*>([\d ]+)</.exec(again.body)?.[1]).toBe(code);
    expect((await t.services.db.selectFrom('reports').select('id').execute()).length).toBe(1);
    // Nothing of the unsent answers remains in the draft.
    const drafts = JSON.stringify(await t.services.db.selectFrom('report_drafts').selectAll().execute());
    expect(drafts).not.toContain('MARKER-JOURNEY-ACCOUNT');
  });

  it('does not let anyone skip ahead to the choices or "check your answers" by typing the address', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    expect((await browser.get('/report/choices')).headers.location).toBe('/report/safe');
    expect((await browser.get('/report/check')).headers.location).toBe('/report/safe');
    await browser.get('/report/safe');
    await browser.post('/report/safe', {});
    expect((await browser.get('/report/check')).headers.location).toBe('/report/what-happened');
    // Without a journey at all, every step sends you to the start.
    expect((await new TestBrowser(t.app).get('/report/contact')).headers.location).toBe('/report');
  });

  it('shows 999 advice at once when the person is not safe, then lets them carry on', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    await browser.get('/report/safe');
    const res = await browser.post('/report/safe', { safeNow: 'no' });
    expect(res.headers.location).toBe('/report/safe?help=1');
    const help = await browser.follow(res);
    expect(help.body).toContain('Call 999 now');
    expect(help.body).toContain('press 55');
    expect((await browser.get('/report/what-happened')).statusCode).toBe(200);
  });

  it('answering "not safe" shows the help once, then one press of Continue goes on', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/report');
    await browser.get('/report/safe');
    const help = await browser.follow(await browser.post('/report/safe', { safeNow: 'no' }));
    expect(help.body).toContain('Call 999 now');
    // The help page's own form (still answered "No") moves on to the next step, not back to itself.
    const action = /<form method="post" action="([^"]+)"/.exec(help.body)![1]!.replace(/&amp;/g, '&');
    const onward = await browser.post(action, { safeNow: 'no' });
    expect(onward.headers.location).toBe('/report/what-happened');
  });

  it('keeps every answer when there is a problem, and says exactly what', async () => {
    const browser = new TestBrowser(t.app);
    await walkTo(browser, 'what-happened');
    const res = await browser.post('/report/what-happened', {
      incidentTypes: ['stalking'],
      account: '   ',
      whenDay: '31',
      whenMonth: '02',
      whenYear: '2026',
      area: 'Canal Street',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Tell us what happened');
    expect(res.body).toContain('Enter a real day of the month');
    expect(res.body).toContain('value="Canal Street"');
    expect(res.body).toMatch(/value="stalking"\s+checked/);
    // The journey did not move on.
    expect((await browser.get('/report/about-them')).headers.location).toBe('/report/what-happened');
  });

  it('refuses police contact without a police report, keeping the choices', async () => {
    const browser = new TestBrowser(t.app);
    await walkTo(browser, 'choices');
    const res = await browser.post('/report/choices', { consents: ['support', 'policeContact'] });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('The police can only contact you if you want the report passed to them');
    expect(res.body).toMatch(/value="support"\s+checked/);
  });

  it('deletes an unsent report when the person leaves the site', async () => {
    const browser = new TestBrowser(t.app);
    await walkTo(browser, 'about-them');
    const before = (await t.services.db.selectFrom('report_drafts').select('id_hash').execute()).length;
    const leave = await browser.get('/leave');
    expect(leave.statusCode).toBe(303);
    expect((await t.services.db.selectFrom('report_drafts').select('id_hash').execute()).length).toBe(before - 1);
  });

  it('gives every journey page the neutral title, no-store and the exit button', async () => {
    const browser = new TestBrowser(t.app);
    const page = await walkTo(browser, 'contact');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<title>Information</title>');
    expect(page.body).toContain('data-exit-link');
    expect(page.body).toContain('Step 6 of 7');
  });

  it('keeps what was typed when the server fails, and the same answers go through on retry', async () => {
    const browser = new TestBrowser(t.app);
    await walkTo(browser, 'about-them');
    const drafts = t.services.reportDrafts;
    const realSave = drafts.save.bind(drafts);
    drafts.save = async () => {
      throw new Error('disk full');
    };
    try {
      const failed = await browser.post('/report/about-them', { names: 'Big Steve', vehicleRegistration: 'KX?? ?BC' });
      expect(failed.statusCode).toBe(500);
      expect(failed.body).toContain('technical problem');
      expect(failed.body).toMatch(/reference [0-9A-F]{8}/);
      expect(failed.body).toContain('Big Steve');
      expect(failed.body).toContain('value="KX?? ?BC"');
    } finally {
      drafts.save = realSave;
    }
    const retried = await browser.post('/report/about-them', { names: 'Big Steve', vehicleRegistration: 'KX?? ?BC' });
    expect(retried.headers.location).toBe('/report/injuries');
  });

  it('takes a description in parts and two ways to reach the person', async () => {
    const browser = new TestBrowser(t.app);
    await walkTo(browser, 'about-them');
    const about = await browser.post('/report/about-them', {
      appearanceSex: 'man',
      appearanceAgeRange: '40 to 50',
      appearanceMarks: 'scar on left hand',
      description: 'smelled of smoke',
    });
    expect(about.statusCode).toBe(303);
    for (const step of ['injuries', 'choices']) {
      await browser.get(`/report/${step}`);
      await browser.post(`/report/${step}`, {});
    }
    const contactPage = await browser.get('/report/contact');
    expect(contactPage.body).toContain('name="contactKind2"');
    const bad = await browser.post('/report/contact', {
      contactKind: 'text',
      contactValue: '07700 900456',
      contactKind2: 'outreach-worker',
      codeWord2: 'x'.repeat(61),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The code word must be 60 characters or fewer');
    expect(bad.body).toContain('value="07700 900456"');
    expect(
      (
        await browser.post('/report/contact', {
          contactKind: 'text',
          contactValue: '07700 900456',
          safeToLeaveMessage: 'no',
          contactKind2: 'outreach-worker',
          contactValue2: 'Tuesday van at the arches',
        })
      ).statusCode,
    ).toBe(303);
    await browser.get('/report/check');
    const sent = await browser.post('/report/check', {});
    const reference = /id="report-reference">([^<]+)</.exec(sent.body)![1]!;
    const org = (await t.services.organisations.list())[0]!;
    const report = await t.services.reports.staffView({ userId: null, tokenId: 'test', orgId: org.id }, reference);
    expect(report?.contact).toMatchObject({
      methods: [
        { kind: 'text', value: '07700 900456', safeToLeaveMessage: false },
        { kind: 'outreach-worker', value: 'Tuesday van at the arches' },
      ],
    });
    expect((report?.details as { perpetrator: unknown }).perpetrator).toMatchObject({
      appearance: { sex: 'man', ageRange: '40 to 50', marks: 'scar on left hand' },
      description: 'smelled of smoke',
    });
  });

  it('starts a report for a named support organisation, and only a support organisation', async () => {
    const browser = new TestBrowser(t.app);
    expect((await browser.get('/o/safe-streets/report')).headers.location).toBe('/report/safe');
    expect((await browser.get('/report/safe')).statusCode).toBe(200);
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    expect((await new TestBrowser(t.app).get('/o/northshire/report')).statusCode).toBe(404);
    expect((await new TestBrowser(t.app).get('/o/nowhere/report')).statusCode).toBe(404);
  });
});
