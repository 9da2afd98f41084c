import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, expectAccessible, newPage, useBrowserWorld } from './browserHarness.ts';

describe.skipIf(!chromiumAvailable)('reporting on a small phone, in a real browser', () => {
  const world = useBrowserWorld();

  /** Every page on the way: no accessibility violations, no sideways scrolling at 360 pixels. */
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

  for (const javaScriptEnabled of [true, false]) {
    it(`sends a report and opens it again with the receipt code (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      if (!(await world.t.services.organisations.list()).some((o) => o.kind === 'support')) {
        const org = await world.t.services.organisations.create(
          { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
          { kind: 'system' },
        );
        await world.t.services.organisations.setAreas(org.id, ['Canal Street', 'The Arches'], { kind: 'system' });
      }
      const page = await newPage(world, { javaScriptEnabled, viewport: { width: 360, height: 640 } });
      await page.goto(`${world.baseUrl}/`);
      await checkPage(page);
      await page.getByRole('button', { name: 'Tell us what happened' }).click();
      await page.waitForURL(`${world.baseUrl}/report/safe`);
      await checkPage(page);
      await page.getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.waitForURL(`${world.baseUrl}/report/what-happened`);
      await checkPage(page);
      await page.getByLabel('Stalking').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.getByLabel('Stalking').isChecked()).toBe(true);
      await checkPage(page);
      await page
        .getByLabel('Tell us what happened, in your own words')
        .fill('He followed me from the arches to the bus stop.');
      await page.getByLabel('The Arches').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      for (const step of ['about-them', 'injuries']) {
        await page.waitForURL(`${world.baseUrl}/report/${step}`);
        await checkPage(page);
        await page.getByRole('button', { name: 'Continue' }).click();
      }
      await page.waitForURL(`${world.baseUrl}/report/choices`);
      await checkPage(page);
      await page.getByLabel('I would like support').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${world.baseUrl}/report/contact`);
      await checkPage(page);
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.waitForURL(`${world.baseUrl}/report/check`);
      await checkPage(page);
      expect(await page.locator('main').innerText()).toContain('He followed me from the arches to the bus stop.');
      await page.getByRole('button', { name: 'Send' }).click();
      const code = (await page.locator('#receipt-code').innerText()).trim();
      expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      await checkPage(page);

      await page.goto(`${world.baseUrl}/check`);
      await checkPage(page);
      await page.getByLabel('Receipt code').fill(code);
      await page.getByRole('button', { name: 'Open my report' }).click();
      await page.waitForURL(`${world.baseUrl}/check/report`);
      await checkPage(page);
      await page.getByLabel('Send a message to us').fill('Please text after six.');
      await page.getByRole('button', { name: 'Send message' }).click();
      // With JavaScript the form is posted in place and the address stays /check/report: wait for the message itself.
      await page.getByText('Please text after six.').waitFor();
      await page.waitForURL(/\/check\/report/);
      expect(await page.getByText('Please text after six.').count()).toBe(1);
      await checkPage(page);
      await page.context().close();
    });
  }
});
