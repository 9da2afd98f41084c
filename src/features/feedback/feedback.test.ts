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
    const res = await t.app.inject({ method: 'POST', url: '/feedback', payload: 'text=hello', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(403);
    expect(await t.services.db.selectFrom('feedback').selectAll().execute()).toEqual([]);
  });

  it('keeps what was typed when there is a problem', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/feedback?from=/cookies');
    const res = await browser.post('/feedback', { satisfaction: 'satisfied', text: 'x'.repeat(2001), page: '/cookies' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('2000 characters or fewer');
    expect(res.body).toContain('x'.repeat(2001));
    expect(res.body).toMatch(/value="satisfied"\s+checked/);
    const empty = await browser.post('/feedback', { satisfaction: 'satisfied', text: '   ' });
    expect(empty.body).toContain('Tell us what would make this service better');
    expect(await t.services.db.selectFrom('feedback').selectAll().execute()).toEqual([]);
  });

  it('stores feedback encrypted and shows it to administrators, audited', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/feedback?from=/staying-safe-online');
    const sent = await browser.post('/feedback', { satisfaction: 'very-satisfied', text: 'MARKER-feedback-7731 the exit button is great', page: '/staying-safe-online' });
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
    const viewed = await t.services.db.selectFrom('audit_entries').selectAll().where('action', '=', 'feedback.viewed').where('actor_id', '=', admin.userId).execute();
    expect(viewed).toHaveLength(1);
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
});
