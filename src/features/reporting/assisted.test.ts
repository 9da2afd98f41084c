import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('assisted reporting on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('lets an outreach worker record a report, keeping the source and the worker, and ends in the staff area with the code and a slip to print', async () => {
    const worker = await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' });
    const { browser } = worker;
    expect((await browser.get('/staff')).body).toContain('Record a report with someone');
    await browser.get('/staff/report/new');
    expect((await browser.post('/staff/report/new', {})).statusCode).toBe(400);
    const start = await browser.post('/staff/report/new', { source: 'outreach' });
    expect(start.headers.location).toBe('/report/safe');
    for (const [slug, fields] of [
      ['safe', {}],
      ['what-happened', { account: 'Met under the bridge; robbed last night.' }],
      ['about-them', {}],
      ['injuries', {}],
      ['choices', { consents: ['support'] }],
      ['contact', {}],
    ] as [string, Record<string, string | string[]>][]) {
      await browser.get(`/report/${slug}`);
      expect((await browser.post(`/report/${slug}`, fields)).statusCode).toBe(303);
    }
    // Sent the ordinary way (not in place), so the staff page it answers with runs its print button.
    expect((await browser.get('/report/check')).body).toContain(
      'action="/report/check" novalidate data-liaison-native="true"',
    );
    const sent = await browser.post('/report/check', {});
    const code = /id="receipt-code"[^>]*>([\d ]+)</.exec(sent.body)?.[1];
    // It ends in the staff area: staff menu and footer, no "Leave this site", and links back.
    expect(sent.body).toContain('aria-label="Staff menu"');
    expect(sent.body).toContain('Liaison — staff area');
    expect(sent.body).not.toContain('data-exit-link');
    expect(sent.body).toContain('href="/staff"');
    expect(sent.body).toContain('href="/staff/report/new"');
    // The code in large type, a print button, and a slip holding only the code and the checking address.
    expect(sent.body).toMatch(/<p class="govuk-heading-xl" id="receipt-code">\d{4} \d{4} \d{4} \d{4}<\/p>/);
    expect(sent.body).toContain('data-print-slip');
    expect(sent.body).toContain("button.textContent = 'Print a slip'");
    expect(sent.body).toContain(
      `<div class="liaison-slip liaison-preserve-lines" aria-hidden="true">${code}\nCheck your report at ${t.services.config.publicUrl}/check</div>`,
    );
    // A second press of Send shows the same staff page again.
    const again = await browser.post('/report/check', {}, sent.body);
    expect(again.body).toContain('aria-label="Staff menu"');
    const row = await t.services.db.selectFrom('reports').selectAll().executeTakeFirstOrThrow();
    expect(row.source).toBe('outreach');
    expect(row.recorded_by).toBe(worker.userId);
    const consent = await t.services.consent.history(row.id);
    expect(consent).toMatchObject([
      { scope: 'support', decision: 'given', method: 'in-person', recorded_by: worker.userId },
    ]);
  });

  it('is not open to analysts or police', async () => {
    for (const who of [
      await signedInStaff(t, { role: 'analyst', orgSlug: 'safe-streets' }),
      await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' }),
    ]) {
      expect((await who.browser.get('/staff/report/new')).statusCode).toBe(403);
    }
  });
});
