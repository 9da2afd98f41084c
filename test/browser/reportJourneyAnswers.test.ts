import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createStaff } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, signIn, useBrowserWorld } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('answers, changes and the assisted ending in a real browser', () => {
  const world = useBrowserWorld();

  /** No accessibility violations, and nothing wider than a 360 pixel screen. */
  async function checkPage(page: Page) {
    await expectAccessible(page);
    const wide = await page.evaluate(() =>
      document.documentElement.scrollWidth > 360
        ? [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > 361)
            .map((e) => `${e.tagName}.${e.className}`)
            .slice(0, 5)
        : [],
    );
    expect(wide, `too wide for a 360 pixel screen: ${page.url()}`).toEqual([]);
  }

  async function supportOrganisation() {
    if (!(await world.t.services.organisations.list()).some((o) => o.kind === 'support')) {
      await world.t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
    }
  }

  /** From "are you safe" to "Check your answers", answering "No" first and filling a few answers. */
  async function answerToCheck(page: Page) {
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/report/safe?help=1`);
    expect(await page.getByText('Call 999 now').count()).toBe(1);
    await checkPage(page);
    // One press moves on from the help.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/report/what-happened`);
    await page.getByLabel('Tell us what happened, in your own words').fill('He would not pay and drove off.');
    await page.getByLabel('Month').fill('10');
    await page.getByLabel('Year').fill('2025');
    await page.getByLabel('Evening').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/report/about-them`);
    await page.getByLabel('Registration').fill('KX?? ?BC');
    await page.getByLabel('Colour').fill('Silver');
    await page.getByRole('button', { name: 'Continue' }).click();
    for (const step of ['injuries', 'choices', 'contact']) {
      await page.waitForURL(`${world.baseUrl}/report/${step}`);
      if (step === 'contact') await page.getByLabel('What language do you prefer?').fill('Romanian');
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForURL(`${world.baseUrl}/report/check`);
  }

  it('shows every answer on "Check your answers" and a change comes straight back, on a small phone', async () => {
    await supportOrganisation();
    const page = await newPage(world, { viewport: { width: 360, height: 640 } });
    await page.goto(`${world.baseUrl}/report`);
    await page.waitForURL(`${world.baseUrl}/report/safe`);
    await answerToCheck(page);
    await checkPage(page);
    const main = await page.locator('main').innerText();
    for (const words of ['October 2025', 'Evening', 'Silver', 'KX?? ?BC', 'Romanian', 'Not answered'])
      expect(main).toContain(words);
    expect(main).not.toContain('2025-10');

    await page.getByRole('link', { name: 'Change time of day' }).click();
    await page.waitForURL(`${world.baseUrl}/report/what-happened?change=1#timeOfDay`);
    await checkPage(page);
    await page.getByLabel('Night').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/report/check`);
    expect(await page.locator('main').innerText()).toContain('Night');
    await page.context().close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`ends an assisted report in the staff area with the code and a slip to print (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      await supportOrganisation();
      const worker = await createStaff(world.t, { role: 'outreach', orgSlug: 'safe-streets' });
      const page = await newPage(world, { javaScriptEnabled, viewport: { width: 360, height: 640 } });
      await signIn(world, page, worker);
      await page.getByRole('link', { name: 'Record a report with someone' }).click();
      await page.waitForURL(`${world.baseUrl}/staff/report/new`);
      await page.getByLabel('On outreach').check();
      await page.getByRole('button', { name: 'Start' }).click();
      await page.waitForURL(`${world.baseUrl}/report/safe`);
      await answerToCheck(page);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForSelector('#receipt-code');
      await checkPage(page);
      const code = (await page.locator('#receipt-code').innerText()).trim();
      expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(await page.getByRole('link', { name: 'Back to the staff area' }).count()).toBe(1);
      expect(await page.locator('[data-exit-link]').count()).toBe(0);
      const print = page.getByRole('button', { name: 'Print a slip' });
      if (javaScriptEnabled) {
        await page.evaluate(() => {
          window.print = () => document.body.setAttribute('data-printed', 'yes');
        });
        await print.click();
        expect(await page.locator('body').getAttribute('data-printed')).toBe('yes');
      } else {
        expect(await print.count()).toBe(0);
        expect(await page.getByText('print this page: only the slip is printed').isVisible()).toBe(true);
      }
      // On paper: the slip alone, with the code and where to check the report.
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((e) => getComputedStyle(e).visibility === 'visible' && (e as HTMLElement).innerText?.trim())
          .map((e) => (e as HTMLElement).innerText.trim()),
      );
      expect(printed).toEqual([`${code}\nCheck your report at ${world.t.services.config.publicUrl}/check`]);
      await page.emulateMedia({ media: 'screen' });
      await page.getByRole('link', { name: 'Back to the staff area' }).click();
      await page.waitForURL(`${world.baseUrl}/staff`);
      await page.context().close();
    });
  }
});
