import { describe, expect, it } from 'vitest';
import {
  browserRequired,
  chromiumAvailable,
  expectAccessible,
  newPage,
  useBrowserWorld,
  visit,
} from './browserHarness.ts';

if (!chromiumAvailable) {
  console.warn(
    'Browser tests SKIPPED: /usr/bin/chromium is missing (apt-get install chromium). Set REQUIRE_BROWSER=1 to make this a failure.',
  );
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
    for (const path of [
      '/',
      '/staying-safe-online',
      '/cookies',
      '/feedback',
      '/feedback/thank-you',
      '/no-such-page',
      '/sign-in',
    ])
      await visit(world, page, path);
    await page.context().close();
  });

  it('receives pages, styles and scripts compressed', async () => {
    const page = await newPage(world);
    const encodings = new Map<string, string | undefined>();
    page.on('response', (response) => {
      encodings.set(new URL(response.url()).pathname, response.headers()['content-encoding']);
    });
    await visit(world, page, '/');
    await page.waitForLoadState('networkidle');
    for (const path of ['/', '/assets/app.css', '/assets/app.js', '/assets/govuk/govuk-frontend.min.js']) {
      expect(['br', 'gzip'], path).toContain(encodings.get(path));
    }
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
    // Report what the page shows straight after the exit handler has run (this
    // listener is added after app.js's, so it runs second), before the next site loads.
    const afterExit = new Promise<string>((resolve) => {
      page.on('console', (message) => {
        if (message.text().startsWith('{"title"')) resolve(message.text());
      });
    });
    await page.evaluate(() => {
      document.addEventListener('keydown', () => {
        const main = document.querySelector('main');
        console.log(
          JSON.stringify({ title: document.title, mainShown: main ? main.getClientRects().length > 0 : null }),
        );
      });
    });
    await page.keyboard.press('Escape');
    expect(JSON.parse(await afterExit)).toEqual({ title: '', mainShown: false });
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
    // Page scripts are off; Playwright's evaluate (and so axe) still runs.
    const page = await newPage(world, { javaScriptEnabled: false });
    await visit(world, page, '/staying-safe-online');
    await page.getByRole('link', { name: 'Tell us what you think' }).click();
    await page.waitForURL(`${world.baseUrl}/feedback?from=%2Fstaying-safe-online`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page);
    await page.getByLabel('What would make this service better?').fill('Works with scripts off');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForURL(`${world.baseUrl}/feedback/thank-you`);
    expect(await page.getByRole('heading', { name: 'Thank you' }).count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('button', { name: /Leave this site/ }).click();
    await page.waitForURL(world.exitUrl);
    const rows = await world.t.services.db
      .selectFrom('feedback')
      .selectAll()
      .where('page', '=', '/staying-safe-online')
      .execute();
    const texts = await Promise.all(rows.map((row) => world.t.services.cipher.decrypt(row.text_enc, 'feedback.text')));
    expect(texts).toContain('Works with scripts off');
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
    expect(await page.getByLabel('Satisfied', { exact: true }).isChecked()).toBe(true);
    await expectAccessible(page);
    await page.getByLabel('What would make this service better?').fill('Shorter this time');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForURL(`${world.baseUrl}/feedback/thank-you`);
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
