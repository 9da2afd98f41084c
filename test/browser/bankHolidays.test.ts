import { describe, expect, it } from 'vitest';
import { createStaff } from '../support/staff.ts';
import {
  browserRequired,
  chromiumAvailable,
  expectAccessible,
  newPage,
  signIn,
  useBrowserWorld,
  visit,
} from './browserHarness.ts';

if (browserRequired && !chromiumAvailable) throw new Error('REQUIRE_BROWSER=1 but chromium is missing');

describe.skipIf(!chromiumAvailable)('bank holidays admin page in a real browser', () => {
  const world = useBrowserWorld();

  it('adds a one-off holiday with an error first, removes it, and every page passes axe', async () => {
    const admin = await createStaff(world.t, { role: 'admin' });
    const page = await newPage(world, { javaScriptEnabled: false });
    await signIn(world, page, admin);
    await visit(world, page, '/admin/bank-holidays');
    await expectAccessible(page);
    await page.getByLabel('Date').fill('2030-13-01');
    await page.getByLabel('Name').fill('Jubilee');
    await page.getByRole('button', { name: 'Add bank holiday' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page);
    expect(await page.getByLabel('Name').inputValue()).toBe('Jubilee');
    await page.getByLabel('Date').fill('2030-06-03');
    await page.getByRole('button', { name: 'Add bank holiday' }).click();
    await page.waitForURL(`${world.baseUrl}/admin/bank-holidays?changed=1`);
    await expectAccessible(page);
    expect(await page.locator('table').innerText()).toContain('Jubilee');
    await page.getByRole('button', { name: 'Remove 2030-06-03 Jubilee' }).click();
    await page.waitForURL(`${world.baseUrl}/admin/bank-holidays?changed=1`);
    expect(await page.locator('table').innerText()).not.toContain('Jubilee');
  });

  it('warns, accessibly, when next year has no published list', async () => {
    const clock = world.t.clock;
    const at = (ms: number) => clock.advance(ms - clock.now().getTime());
    const before = clock.now().getTime();
    at(Date.parse('2027-03-01T12:00:00Z'));
    try {
      const admin = await createStaff(world.t, { role: 'admin' });
      const page = await newPage(world, { javaScriptEnabled: false });
      await signIn(world, page, admin);
      await visit(world, page, '/admin/bank-holidays');
      expect(await page.locator('#unpublished-warning').innerText()).toContain(
        'No published gov.uk list is loaded for 2028.',
      );
      expect(await page.locator('table').innerText()).toContain('Standing rules');
      await expectAccessible(page);
    } finally {
      // Back to where the world was, a little on, so no sign-in code is reused.
      at(before + 5 * 60_000);
    }
  });
});
