import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('areas offered in the report form on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('are set by the support organisation’s administrators and offered to people reporting', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    await admin.browser.get('/admin/areas');
    const tooLong = await admin.browser.post('/admin/areas', { areas: `Canal Street\n${'x'.repeat(81)}` });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('80 characters or fewer');
    expect(tooLong.body).toContain('Canal Street');
    const saved = await admin.browser.post('/admin/areas', {
      areas: 'Canal Street\n\nThe Arches\nCanal Street\nStation Road',
    });
    expect(saved.headers.location).toBe('/admin/areas?saved=1');
    expect(await t.services.organisations.areas(admin.orgId)).toEqual(['Canal Street', 'The Arches', 'Station Road']);

    const person = new TestBrowser(t.app);
    await person.get('/report');
    await person.get('/report/safe');
    await person.post('/report/safe', {});
    const page = await person.get('/report/what-happened');
    expect(page.body).toMatch(/type="radio" value="The Arches"/);
    expect(page.body).toContain('Somewhere else');
    await person.post('/report/what-happened', { account: 'It happened at the arches.', area: 'The Arches' });
    for (const step of ['about-them', 'injuries', 'choices', 'contact']) {
      await person.get(`/report/${step}`);
      await person.post(`/report/${step}`, {});
    }
    const check = await person.get('/report/check');
    expect(check.body).toContain('The Arches');

    const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    expect((await caseworker.browser.get('/admin/areas')).statusCode).toBe(403);
  });

  it('shows the organisation’s own SARC information on the injuries page', async () => {
    const admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
    await admin.browser.get('/admin/areas');
    expect((await admin.browser.post('/admin/sarc', { sarc: 'x'.repeat(2001) })).statusCode).toBe(400);
    await admin.browser.get('/admin/areas');
    expect(
      (
        await admin.browser.post('/admin/sarc', {
          sarc: 'The Willow Centre, 12 Mill Lane. Open all day, every day: 0300 123 4567.',
        })
      ).statusCode,
    ).toBe(303);
    const person = new TestBrowser(t.app);
    await person.get('/report');
    for (const step of ['safe', 'what-happened', 'about-them']) {
      await person.get(`/report/${step}`);
      await person.post(`/report/${step}`, step === 'what-happened' ? { account: 'x' } : {});
    }
    const injuries = await person.get('/report/injuries');
    expect(injuries.body).toContain('The Willow Centre, 12 Mill Lane.');
  });
});
