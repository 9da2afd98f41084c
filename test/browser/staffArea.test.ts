import { describe, expect, it } from 'vitest';
import { createStaff, totpNow } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, useBrowserWorld, visit } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('the staff area in a real browser', () => {
  const world = useBrowserWorld();

  it('signs in with a password and a two-factor code, and every page visited passes axe', async () => {
    const admin = await createStaff(world.t, { role: 'admin' });
    await world.t.services.feedback.submit({ text: 'Feedback to read', satisfaction: 'satisfied', page: '/' });
    const page = await newPage(world);
    await visit(world, page, '/staff');
    expect(page.url()).toBe(`${world.baseUrl}/sign-in`);

    await page.getByLabel('Email address').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.getByLabel('Email address').inputValue()).toBe(admin.email);
    await expectAccessible(page);

    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/sign-in/code`);
    await expectAccessible(page);
    await page.getByLabel('Security code').fill(await totpNow(world.t, admin.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${world.baseUrl}/staff`);
    await expectAccessible(page);
    world.t.clock.advance(30_000);

    const { reference } = await world.t.services.reports.submit(
      {
        incidentTypes: ['stalking'],
        account: 'Followed home',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: ['Dave'], phones: [], emails: [], handles: [] },
        contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    for (const path of [
      '/admin/users',
      '/admin/audit',
      '/admin/feedback',
      '/admin/keys',
      '/admin/areas',
      '/staff/report/new',
    ])
      await visit(world, page, path);

    // An administrator reads no case until they also take a working role.
    expect((await page.goto(`${world.baseUrl}/staff/reports/${reference}`))?.status()).toBe(404);
    await expectAccessible(page);
    await visit(world, page, `/admin/users/${admin.userId}`);
    await page.getByLabel('Also works cases as').selectOption('caseworker');
    await page.getByRole('button', { name: 'Save casework role' }).click();
    await page.waitForURL(`${world.baseUrl}/admin/users/${admin.userId}`);
    expect(await page.locator('.govuk-summary-list').innerText()).toContain('admin (also caseworker)');
    for (const path of ['/staff/reports', `/staff/reports/${reference}`]) await visit(world, page, path);
    expect(await page.locator('main').innerText()).toContain('Followed home');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${world.baseUrl}/sign-in`);
    await visit(world, page, '/staff');
    expect(page.url()).toBe(`${world.baseUrl}/sign-in`);
    await page.context().close();
  });

  it('takes an invited member of staff through password, two-factor enrolment and recovery codes', async () => {
    const org = await world.t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    const { link } = await world.t.services.invitations.invite({
      orgId: org.id,
      role: 'officer',
      email: 'officer@example.org',
      invitedBy: null,
    });
    const page = await newPage(world);
    await visit(world, page, new URL(link).pathname);
    await page.getByLabel('Password', { exact: true }).fill('amber kettle ferry 2026');
    await page.getByLabel('Type the password again').fill('amber kettle ferry 2026');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/account/two-factor`);
    await expectAccessible(page);
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code from the app').fill(await totpNow(world.t, secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.waitForSelector('#recovery-codes');
    expect(await page.locator('#recovery-codes li').count()).toBe(10);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await page.waitForURL(`${world.baseUrl}/staff`);
    await expectAccessible(page);
    world.t.clock.advance(30_000);
    await page.context().close();
  });
});
