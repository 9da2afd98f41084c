import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { createStaff, nextTotpStep, totpNow } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('one two-factor code used twice at the same moment on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  async function atCodeStep(staff: { email: string; password: string }): Promise<TestBrowser> {
    const browser = new TestBrowser(t.app);
    await browser.get('/sign-in');
    expect((await browser.post('/sign-in', { email: staff.email, password: staff.password })).headers.location).toBe(
      '/sign-in/code',
    );
    await browser.get('/sign-in/code');
    return browser;
  }

  it('signs in exactly one of two parallel sign-ins carrying the same code', async () => {
    const staff = await createStaff(t, { role: 'caseworker' });
    // Several rounds, each with a fresh code, so an unlucky interleaving cannot hide a race.
    for (let round = 0; round < 4; round += 1) {
      const browsers = await Promise.all([atCodeStep(staff), atCodeStep(staff), atCodeStep(staff)]);
      const code = await totpNow(t, staff.totpSecret);
      const answers = await Promise.all(browsers.map((b) => b.post('/sign-in/code', { code })));
      expect(answers.filter((a) => a.headers.location === '/staff').length).toBe(1);
      expect(answers.filter((a) => a.statusCode === 400).length).toBe(2);
      nextTotpStep(t);
    }
  });

  it('accepts a code once when two checks read the account before either records the step', async () => {
    const staff = await createStaff(t, { role: 'liaison' });
    for (let round = 0; round < 3; round += 1) {
      // Both checks start from the same read of the account, as two requests arriving together do.
      const user = (await t.services.accounts.find(staff.userId))!;
      const code = await totpNow(t, staff.totpSecret);
      const results = await Promise.all([
        t.services.accounts.verifyCurrentTotp(user, code),
        t.services.accounts.verifyCurrentTotp(user, code),
      ]);
      expect(results.sort()).toEqual([false, true]);
      nextTotpStep(t);
    }
  });

  it('accepts one of two parallel step-up confirmations with the same code', async () => {
    const staff = await createStaff(t, { role: 'admin' });
    const browser = await atCodeStep(staff);
    expect((await browser.post('/sign-in/code', { code: await totpNow(t, staff.totpSecret) })).headers.location).toBe(
      '/staff',
    );
    for (let round = 0; round < 4; round += 1) {
      nextTotpStep(t);
      await browser.get('/account/confirm?next=/staff');
      const page = browser.lastPage;
      const code = await totpNow(t, staff.totpSecret);
      const answers = await Promise.all([
        browser.post('/account/confirm', { code, next: '/staff' }, page),
        browser.post('/account/confirm', { code, next: '/staff' }, page),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 400]);
    }
  });
});
