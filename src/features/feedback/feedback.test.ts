import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('beta feedback on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('refuses a post without the form CSRF token and stores nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/feedback',
      payload: 'text=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(403);
    expect(await t.services.db.selectFrom('feedback').selectAll().execute()).toEqual([]);
  });

  it('keeps what was typed when there is a problem', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/feedback?from=/cookies');
    const res = await browser.post('/feedback', {
      satisfaction: 'satisfied',
      text: 'x'.repeat(2001),
      page: '/cookies',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('2,000 characters or fewer');
    expect(res.body).toContain('x'.repeat(2001));
    expect(res.body).toMatch(/value="satisfied"\s+checked/);
    const empty = await browser.post('/feedback', { satisfaction: 'satisfied', text: '   ' });
    expect(empty.body).toContain('Tell us what would make this service better');
    expect(await t.services.db.selectFrom('feedback').selectAll().execute()).toEqual([]);
  });

  it('stores feedback encrypted and shows it to administrators, audited', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/feedback?from=/staying-safe-online');
    const sent = await browser.post('/feedback', {
      satisfaction: 'very-satisfied',
      text: 'MARKER-feedback-7731 the exit button is great',
      page: '/staying-safe-online',
    });
    expect(sent.headers.location).toBe('/feedback/thank-you');
    expect((await browser.follow(sent)).body).toContain('Thank you');
    const raw = JSON.stringify(await t.services.db.selectFrom('feedback').selectAll().execute());
    expect(raw).not.toContain('MARKER-feedback-7731');

    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/feedback')).statusCode).toBe(403);
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/feedback');
    expect(page.body).toContain('MARKER-feedback-7731 the exit button is great');
    expect(page.body).toContain('/staying-safe-online');
    const viewed = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'feedback.viewed')
      .where('actor_id', '=', admin.userId)
      .execute();
    expect(viewed).toHaveLength(1);
  });

  it('records which page the beta banner link came from, and drops anything that is not a path on this site', async () => {
    const browser = new TestBrowser(t.app);
    const cookies = await browser.get('/cookies');
    expect(cookies.body).toContain('href="/feedback?from=%2Fcookies"');
    const form = await browser.get('/feedback?from=%2Fcookies');
    expect(form.body).toContain('name="page" value="/cookies"');
    const foreign = await browser.get('/feedback?from=https%3A%2F%2Fexample.org%2F');
    expect(foreign.body).toContain('name="page" value=""');
  });

  it('shows administrators 25 items a page, newest first, auditing each page read', async () => {
    for (let i = 1; i <= 27; i += 1) {
      t.clock.advance(60_000);
      await t.services.feedback.submit({
        text: `PAGED-${String(i).padStart(2, '0')}`,
        satisfaction: undefined,
        page: undefined,
      });
    }
    const admin = await signedInStaff(t, { role: 'admin' });
    const first = await admin.browser.get('/admin/feedback');
    expect(first.body).toContain('PAGED-27');
    expect(first.body).toContain('PAGED-03');
    expect(first.body).not.toContain('PAGED-02');
    expect(first.body.indexOf('PAGED-27')).toBeLessThan(first.body.indexOf('PAGED-26'));
    expect(first.body).toContain('href="/admin/feedback?page=2"');
    const second = await admin.browser.get('/admin/feedback?page=2');
    expect(second.body).toContain('PAGED-02');
    expect(second.body).toContain('PAGED-01');
    expect(second.body).not.toContain('PAGED-03');
    expect(second.body).toContain('href="/admin/feedback?page=1"');
    const reads = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'feedback.viewed')
      .where('actor_id', '=', admin.userId)
      .execute();
    expect(reads).toHaveLength(2);
  });

  it('serves the staying safe and cookies pages, naming the cookies', async () => {
    const safe = await t.app.inject('/staying-safe-online');
    expect(safe.statusCode).toBe(200);
    expect(safe.body).toContain('Escape key');
    const cookies = await t.app.inject('/cookies');
    expect(cookies.body).toContain('<code>csrf</code>');
    expect(cookies.body).toContain('<code>session</code>');
    for (const res of [safe, cookies]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<title>Information</title>');
    }
  });

  // Last in this suite: it uses up this address's allowance.
  it('limits how often one address can send feedback, storing nothing once the limit is reached', async () => {
    const browser = new TestBrowser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(429); i += 1) {
      await browser.get('/feedback');
      statuses.push((await browser.post('/feedback', { text: `RATE-${i}` })).statusCode);
    }
    expect(statuses).toContain(429);
    expect(statuses.length).toBeLessThanOrEqual(11);
    const rows = await t.services.db.selectFrom('feedback').select('id').execute();
    const before = rows.length;
    await browser.get('/feedback');
    const refused = await browser.post('/feedback', { text: 'RATE-after-limit' });
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Please wait a few minutes and try again.');
    expect(await t.services.db.selectFrom('feedback').select('id').execute()).toHaveLength(before);
  });
});
