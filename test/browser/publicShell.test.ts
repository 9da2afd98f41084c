import { describe, expect, it } from 'vitest';
import { browserRequired, chromiumAvailable, expectAccessible, newPage, useBrowserWorld, visit } from './browserHarness.ts';

if (!chromiumAvailable) {
  console.warn('Browser tests SKIPPED: /usr/bin/chromium is missing (apt-get install chromium). Set REQUIRE_BROWSER=1 to make this a failure.');
}

describe('browser prerequisites', () => {
  it.runIf(browserRequired)('chromium is installed when REQUIRE_BROWSER=1', () => {
    expect(chromiumAvailable).toBe(true);
  });
});

describe.skipIf(!chromiumAvailable)('the public shell in a real browser', () => {
  const world = useBrowserWorld();

  it('has no accessibility violations on any public page', async () => {
    const page = await newPage(world);
    for (const path of ['/', '/staying-safe-online', '/cookies', '/feedback', '/no-such-page', '/sign-in']) await visit(world, page, path);
    await page.context().close();
  });

  it('leaves with the button, and Back does not return to the page', async () => {
    const page = await newPage(world);
    await visit(world, page, '/');
    await visit(world, page, '/cookies');
    await page.getByRole('button', { name: /Leave this site/ }).click();
    await page.waitForURL(world.exitUrl);
    await page.goBack();
    expect(page.url()).not.toBe(`${world.baseUrl}/cookies`);
    await page.context().close();
  });

  it('leaves on the Escape key', async () => {
    const page = await newPage(world);
    await visit(world, page, '/');
    await visit(world, page, '/staying-safe-online');
    await page.keyboard.press('Escape');
    await page.waitForURL(world.exitUrl);
    await page.goBack();
    expect(page.url()).not.toBe(`${world.baseUrl}/staying-safe-online`);
    await page.context().close();
  });

  it('leaves when Shift is pressed three times', async () => {
    const page = await newPage(world);
    await visit(world, page, '/');
    await visit(world, page, '/feedback');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
    await page.waitForURL(world.exitUrl);
    await page.goBack();
    expect(page.url()).not.toBe(`${world.baseUrl}/feedback`);
    await page.context().close();
  });

  it('works without JavaScript: the exit link still leaves, and forms still send', async () => {
    // axe needs scripts, so these pages are checked by the tests above with scripts on.
    const page = await newPage(world, { javaScriptEnabled: false });
    await page.goto(`${world.baseUrl}/feedback`);
    await page.getByLabel('What would make this service better?').fill('Works with scripts off');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await expect(page.getByRole('heading', { name: 'Thank you' })).toBeTruthy();
    expect(page.url()).toBe(`${world.baseUrl}/feedback/thank-you`);
    await page.getByRole('button', { name: /Leave this site/ }).click();
    await page.waitForURL(world.exitUrl);
    await page.context().close();
  });

  it('keeps what was typed when a form has an error', async () => {
    const page = await newPage(world);
    await visit(world, page, '/feedback');
    await page.getByLabel('Satisfied', { exact: true }).check();
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.title()).toBe('Error: Information');
    expect(await page.getByLabel('Satisfied', { exact: true }).isChecked()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel('What would make this service better?').fill('A'.repeat(2001));
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.getByLabel('What would make this service better?').inputValue()).toBe('A'.repeat(2001));
    await expectAccessible(page);
    await page.context().close();
  });

  it('fits a 360×640 phone screen without sideways scrolling', async () => {
    const page = await newPage(world, { viewport: { width: 360, height: 640 } });
    for (const path of ['/', '/staying-safe-online', '/cookies', '/feedback']) {
      await visit(world, page, path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(360);
    }
    await page.context().close();
  });
});
