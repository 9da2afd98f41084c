import { describe, expect, it } from 'vitest';
import { publishWarning } from '../support/publishWarning.ts';
import { createStaff } from '../support/staff.ts';
import {
  type BrowserWorld,
  chromiumAvailable,
  expectAccessible,
  newPage,
  signIn,
  useBrowserWorld,
  visit,
} from './browserHarness.ts';

async function ensureOrganisation(world: BrowserWorld) {
  if (await world.t.services.organisations.findBySlug('safe-streets')) return;
  const org = await world.t.services.organisations.create(
    { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
    { kind: 'system' },
  );
  await world.t.services.organisations.setAreas(org.id, ['Canal Street', 'The Arches'], { kind: 'system' });
  await publishWarning(world.t, 'safe-streets', {
    title: 'Silver estate car',
    body: 'Refused to pay and took her phone.',
    area: 'Canal Street',
    phones: ['07700 900123'],
  });
  await publishWarning(world.t, 'safe-streets', {
    title: 'Man at the arches',
    body: 'Threatened two women.',
    area: 'The Arches',
    type: 'threats-or-harassment',
  });
}

describe.skipIf(!chromiumAvailable)('members in a real browser', () => {
  const world = useBrowserWorld();

  for (const javaScriptEnabled of [true, false]) {
    it(`joins, signs in with the member code, reads warnings and checks a number (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      await ensureOrganisation(world);
      const page = await newPage(world, { javaScriptEnabled, viewport: { width: 360, height: 640 } });
      await visit(world, page, '/members');
      await page.getByRole('link', { name: 'Become a member' }).click();
      await page.waitForURL(`${world.baseUrl}/o/safe-streets/members/join`);
      await expectAccessible(page);
      expect(await page.title()).toBe('Information');
      expect(
        await page
          .getByRole('button', { name: /Leave this site/ })
          .or(page.getByRole('link', { name: /Leave this site/ }))
          .count(),
      ).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Get my member code' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectAccessible(page);
      await page.getByLabel('What should we call you?').fill('Kaz');
      await page.getByRole('button', { name: 'Get my member code' }).click();
      const code = (await page.locator('#member-code').innerText()).trim();
      expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Sign in with your member code' }).click();
      await page.waitForURL(`${world.baseUrl}/members/sign-in`);
      await expectAccessible(page);
      await page.getByLabel('Member code').fill('1234 1234 1234 1234');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('.govuk-error-summary');
      await expectAccessible(page);
      await page.getByLabel('Member code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${world.baseUrl}/members/warnings`);
      await expectAccessible(page);
      const main = await page.locator('main').innerText();
      expect(main.indexOf('Man at the arches')).toBeGreaterThan(-1);
      expect(main.indexOf('Man at the arches')).toBeLessThan(main.indexOf('Silver estate car'));

      await page.getByLabel('Area').selectOption('Canal Street');
      await page.getByRole('button', { name: 'Show warnings' }).click();
      await page.waitForURL(/area=Canal\+Street/);
      expect(await page.locator('main').innerText()).not.toContain('Man at the arches');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Printable version' }).click();
      await page.waitForURL(/\/members\/warnings\/print/);
      expect(await page.locator('main').innerText()).toContain('Silver estate car');
      await expectAccessible(page);

      await visit(world, page, '/members/check');
      await page.getByLabel('Number or registration').fill('+44 7700 900123');
      await page.getByRole('button', { name: 'Check' }).click();
      await page.waitForSelector('#check-result');
      expect(await page.locator('#check-result').innerText()).toContain('Silver estate car');
      await expectAccessible(page);
      await page.getByLabel('Number or registration').fill('07700 900000');
      await page.getByRole('button', { name: 'Check' }).click();
      await page.waitForSelector('#check-result');
      expect(await page.locator('#check-result').innerText()).toContain('not in any warning');

      await visit(world, page, '/members/account');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${world.baseUrl}/`);
      await visit(world, page, '/members/warnings');
      expect(page.url()).toBe(`${world.baseUrl}/members/sign-in`);
      await page.context().close();
    }, 180_000);
  }

  it('draft → approve → publish in the staff area, then a member sees it and the number check finds it', async () => {
    await ensureOrganisation(world);
    const author = await createStaff(world.t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const approver = await createStaff(world.t, { role: 'liaison', orgSlug: 'safe-streets' });
    const { reference } = await world.t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['physical-assault'],
        account: 'He hit me when I asked for the money first.',
        area: 'The Arches',
        consents: {
          support: true,
          warnOthers: true,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: ['07700 900456'], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const staff = await newPage(world);
    await signIn(world, staff, author);
    await visit(world, staff, `/staff/warnings/new?reports=${reference}`);
    await staff.getByLabel('Title').fill('Grey Ford at the Arches');
    await staff.getByRole('button', { name: 'Save draft' }).click();
    await staff.waitForURL(/\/staff\/warnings\/[0-9a-f-]{36}$/);
    const warningPath = new URL(staff.url()).pathname;
    await staff.context().close();
    const second = await newPage(world);
    await signIn(world, second, approver);
    await visit(world, second, warningPath);
    await second.getByRole('button', { name: 'Approve and publish' }).click();
    await second.waitForURL(`${world.baseUrl}${warningPath}?published=1`);
    // Outreach's code for someone met on the street.
    await visit(world, second, '/staff/members/new');
    await second.getByLabel('Working name').fill('Street member');
    await second.getByRole('button', { name: 'Make a member code' }).click();
    const code = (await second.locator('#member-code').innerText()).trim();
    await second.context().close();

    const member = await newPage(world, { viewport: { width: 360, height: 640 } });
    await visit(world, member, '/members/sign-in');
    await member.getByLabel('Member code').fill(code);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.waitForURL(`${world.baseUrl}/members/warnings`);
    await expectAccessible(member);
    const list = await member.locator('main').innerText();
    expect(list).toContain('Grey Ford at the Arches');
    // Newest first.
    expect(list.indexOf('Grey Ford at the Arches')).toBeLessThan(list.indexOf('Man at the arches'));
    await visit(world, member, '/members/check');
    await member.getByLabel('Number or registration').fill('447700900456');
    await member.getByRole('button', { name: 'Check' }).click();
    await member.waitForSelector('#check-result');
    expect(await member.locator('#check-result').innerText()).toContain('Grey Ford at the Arches');
    await expectAccessible(member);
    await member.context().close();
  }, 180_000);

  it('lets outreach give someone a member code, and an administrator make warnings public', async () => {
    await ensureOrganisation(world);
    const outreach = await createStaff(world.t, { role: 'outreach', orgSlug: 'safe-streets' });
    const page = await newPage(world);
    await signIn(world, page, outreach);
    await visit(world, page, '/staff/members/new');
    await page.getByLabel('Working name').fill('Jade');
    await page.getByRole('button', { name: 'Make a member code' }).click();
    const code = (await page.locator('#member-code').innerText()).trim();
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    await expectAccessible(page);
    await visit(world, page, '/staff/members');
    expect(await page.locator('main').innerText()).toContain('Jade');
    expect(await page.locator('main').innerText()).not.toContain(code);
    await page.context().close();

    const admin = await createStaff(world.t, { role: 'admin', orgSlug: 'safe-streets' });
    const adminPage = await newPage(world);
    await signIn(world, adminPage, admin);
    await visit(world, adminPage, '/admin/warnings-settings');
    await adminPage.getByLabel('Anyone').check();
    await adminPage.getByRole('button', { name: 'Save' }).click();
    await adminPage.waitForURL(/saved=1/);
    await expectAccessible(adminPage);
    await adminPage.context().close();

    const visitor = await newPage(world, { javaScriptEnabled: false });
    await visit(world, visitor, '/members');
    await visitor.getByRole('link', { name: 'Warnings from Safe Streets' }).click();
    await visitor.waitForURL(`${world.baseUrl}/o/safe-streets/warnings`);
    expect(await visitor.locator('main').innerText()).toContain('Silver estate car');
    await expectAccessible(visitor);
    await visitor.context().close();
  }, 180_000);
});
