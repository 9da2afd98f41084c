import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import {
  chromiumAvailable,
  expectAccessible,
  newPage,
  signIn,
  useBrowserWorld,
  visit,
  type BrowserWorld,
} from './browserHarness.ts';
import { createStaff } from '../support/staff.ts';

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

/**
 * Whether an exit has begun on this page: it is hidden behind GOV.UK's overlay by the key
 * handler itself, so once a key press has been dispatched this is already true if it will ever
 * be. Only for the "stays" checks: when the exit did begin, the page may already be gone.
 */
const exiting = (page: Page) =>
  page.evaluate(() => document.body.classList.contains('govuk-exit-this-page-hide-content'));
const historyLength = (page: Page) => page.evaluate(() => window.history.length);

/**
 * After leaving, the tab's history holds what it held before the person arrived (a fresh
 * tab's blank page) and then the site we left to, which took over our one entry: Back
 * leads to the blank page, never to a page of ours.
 */
async function expectNoWayBack(world: BrowserWorld, page: Page) {
  await page.waitForURL(world.exitUrl);
  expect(await historyLength(page)).toBe(2);
  await page.goBack();
  expect(page.url()).toBe('about:blank');
  expect(await page.goBack()).toBeNull();
  expect(page.url()).toBe('about:blank');
}

/** Types text into the focused field, holding Shift for capitals as a person does. */
async function typeWithShift(page: Page, text: string, shiftPerLetter: boolean) {
  let held = false;
  for (const char of text) {
    const capital = /[A-Z]/.test(char);
    if (capital && !held) {
      await page.keyboard.down('Shift');
      held = true;
    }
    if (!capital && held) {
      await page.keyboard.up('Shift');
      held = false;
    }
    await page.keyboard.press(char === ' ' ? 'Space' : capital ? `Key${char}` : char);
    if (held && shiftPerLetter) {
      await page.keyboard.up('Shift');
      held = false;
    }
  }
  if (held) await page.keyboard.up('Shift');
}

async function aReceiptCode(world: BrowserWorld): Promise<string> {
  await aSupportOrganisation(world);
  const submitted = await world.t.services.reports.submit(
    {
      incidentTypes: ['robbery-or-theft'],
      account: 'Took my phone',
      consents: {
        support: true,
        warnOthers: false,
        policeIntelligence: false,
        policeReport: false,
        policeContact: false,
      },
      perpetrator: { names: [], phones: [], emails: [], handles: [] },
    },
    { source: 'online', recordedBy: null, idempotencyKey: undefined },
  );
  return submitted.receiptCode!;
}

async function aSupportOrganisation(world: BrowserWorld) {
  if ((await world.t.services.organisations.list()).some((o) => o.kind === 'support')) return;
  await world.t.services.organisations.create(
    { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
    { kind: 'system' },
  );
}

async function storedFeedback(world: BrowserWorld): Promise<string[]> {
  const rows = await world.t.services.db.selectFrom('feedback').select('text_enc').execute();
  return Promise.all(rows.map((row) => world.t.services.cipher.decrypt(row.text_enc, 'feedback.text')));
}

async function openReport(world: BrowserWorld, page: Page, code: string) {
  await visit(world, page, '/check');
  await page.getByLabel('Receipt code').fill(code);
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.waitForURL(`${world.baseUrl}/check/report`);
  await expectAccessible(page);
}

describe.skipIf(!chromiumAvailable)('leaving the site safely, in a real browser', () => {
  const world = useBrowserWorld();

  it('keeps the person on the page while they type capitals, and leaves on Shift three times in a row', async () => {
    const page = await newPage(world, { viewport: PHONE });
    await visit(world, page, '/feedback');
    const field = page.getByLabel('What would make this service better?');
    await field.click();
    await typeWithShift(page, 'KX19 ABC', false);
    await page.keyboard.press('Space');
    await typeWithShift(page, 'KX19 ABC', true);
    expect(await exiting(page)).toBe(false);
    expect(await field.inputValue()).toBe('KX19 ABC KX19 ABC');
    expect(page.url()).toBe(`${world.baseUrl}/feedback`);

    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
    await expectNoWayBack(world, page);
    await page.context().close();
  });

  it('starts counting again when any other key comes between the Shift presses', async () => {
    const page = await newPage(world, { viewport: PHONE });
    await visit(world, page, '/feedback');
    await page.getByLabel('What would make this service better?').click();
    await page.keyboard.press('Shift');
    await page.keyboard.press('a');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    expect(await exiting(page)).toBe(false);
    expect(page.url()).toBe(`${world.baseUrl}/feedback`);
    // The two presses after the letter counted: one more makes three in a row.
    await page.keyboard.press('Shift');
    await expectNoWayBack(world, page);
    await page.context().close();
  });

  it('leaves on Escape, from a field, hiding the page at once', async () => {
    const page = await newPage(world, { viewport: PHONE });
    await visit(world, page, '/feedback');
    await page.getByLabel('What would make this service better?').fill('something private');
    // Report what the page shows straight after the exit handler has run (this listener
    // is added after app.js's, so it runs second), before the next site loads.
    const afterExit = new Promise<string>((resolve) => {
      page.on('console', (message) => {
        if (message.text().startsWith('{"title"')) resolve(message.text());
      });
    });
    await page.evaluate(() => {
      document.addEventListener('keydown', () => {
        const main = document.querySelector('main');
        console.log(
          JSON.stringify({
            title: document.title,
            mainShown: main ? main.getClientRects().length > 0 : null,
            overlay: document.querySelector('.govuk-exit-this-page-overlay')?.getClientRects().length,
          }),
        );
      });
    });
    await page.getByLabel('What would make this service better?').press('Escape');
    expect(JSON.parse(await afterExit)).toEqual({ title: '', mainShown: false, overlay: 1 });
    await expectNoWayBack(world, page);
    await page.context().close();
  });

  it('uses GOV.UK Exit This Page for the button, with its indicator, and leaves with it', async () => {
    const page = await newPage(world, { viewport: DESKTOP });
    await visit(world, page, '/');
    await page.waitForSelector('[data-liaison-exit-this-page-init] .govuk-exit-this-page__indicator', {
      state: 'attached',
    });
    await page.keyboard.press('Shift');
    expect(await page.locator('.govuk-exit-this-page__indicator--visible').count()).toBe(1);
    expect(await page.getByRole('status').innerText()).toBe('Shift, press 2 more times to leave.');
    await page.getByRole('button', { name: /Leave this site/ }).click();
    await expectNoWayBack(world, page);
    await page.context().close();
  });

  it('leaves without JavaScript through a plain link to /leave, which ends the session', async () => {
    const page = await newPage(world, { viewport: PHONE, javaScriptEnabled: false });
    await visit(world, page, '/feedback');
    const button = page.getByRole('button', { name: /Leave this site/ });
    expect(await button.getAttribute('href')).toBe('/leave');
    const cleared = page.waitForResponse((response) => new URL(response.url()).pathname === '/leave');
    await button.click();
    expect((await (await cleared).allHeaders())['clear-site-data']).toBe('"cache", "cookies", "storage"');
    await page.waitForURL(world.exitUrl);
    await page.context().close();
  });

  for (const viewport of [PHONE, DESKTOP]) {
    it(`has no accessibility violations on the public pages at ${viewport.width}×${viewport.height}, nor with the Shift indicator lit`, async () => {
      await aSupportOrganisation(world);
      const page = await newPage(world, { viewport });
      for (const path of [
        '/',
        '/staying-safe-online',
        '/cookies',
        '/feedback',
        '/check',
        '/report/safe',
        '/members',
        '/members/join',
        '/members/sign-in',
        '/no-such-page',
      ]) {
        await visit(world, page, path);
      }
      await visit(world, page, '/');
      await page.keyboard.press('Shift');
      await page.locator('.govuk-exit-this-page__indicator--visible').waitFor();
      await expectAccessible(page);
      await page.context().close();
    });
  }

  it('moves between public pages without adding history, so Back after leaving never returns', async () => {
    await aSupportOrganisation(world);
    const page = await newPage(world, { viewport: PHONE });
    // Pages shown in place must not trip the strict CSP (their scripts are not run), nor throw.
    const scriptErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) scriptErrors.push(message.text());
    });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await visit(world, page, '/');
    const onArrival = await historyLength(page);
    expect(onArrival).toBe(2);
    const step = async (path: string) => {
      await page.waitForURL(`${world.baseUrl}${path}`);
      await expectAccessible(page);
      expect(await historyLength(page), path).toBe(onArrival);
    };

    await page.getByRole('link', { name: 'Staying safe online' }).click();
    await step('/staying-safe-online');
    await page.getByRole('link', { name: 'Cookies' }).first().click();
    await step('/cookies');
    await page.getByRole('link', { name: 'Tell us what you think' }).click();
    await step('/feedback?from=%2Fcookies');
    // A form with a mistake comes back in place, with what was typed.
    await page.getByLabel('Satisfied', { exact: true }).check();
    await page.getByLabel('What would make this service better?').fill('A'.repeat(2001));
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.title()).toBe('Error: Information');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    expect(await page.getByLabel('What would make this service better?').inputValue()).toBe('A'.repeat(2001));
    expect(await page.getByLabel('Satisfied', { exact: true }).isChecked()).toBe(true);
    await step('/feedback');
    await page.getByLabel('What would make this service better?').fill('Kept my place');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await step('/feedback/thank-you');
    expect(await storedFeedback(world)).toContain('Kept my place');

    await page.getByRole('link', { name: 'Support and reporting' }).click();
    await step('/');
    await page.getByRole('button', { name: 'Tell us what happened' }).click();
    await step('/report/safe');
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await step('/report/what-happened');
    await page.getByLabel('Stalking').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.getByLabel('Stalking').isChecked()).toBe(true);
    await step('/report/what-happened');

    expect(scriptErrors).toEqual([]);

    // The exit button and Shift three times still work on a page shown in place.
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
    await expectNoWayBack(world, page);
    await page.context().close();
  });

  it('sends a form the ordinary way when the script cannot reach the server', async () => {
    const page = await newPage(world, { viewport: PHONE });
    await visit(world, page, '/feedback');
    let refused = 0;
    await page.route(`${world.baseUrl}/feedback`, async (route) => {
      if (
        route.request().method() === 'POST' &&
        (await route.request().headerValue('x-liaison-navigation')) === 'replace'
      ) {
        refused += 1;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await page.getByLabel('What would make this service better?').fill('Sent without the script');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForURL(`${world.baseUrl}/feedback/thank-you`);
    await expectAccessible(page);
    expect(refused).toBe(1);
    expect((await storedFeedback(world)).filter((text) => text === 'Sent without the script')).toHaveLength(1);
    await page.context().close();
  });

  /**
   * After a jump to a section, the section starts below the sticky exit bar, and no button or
   * link is cut by the bar's lower edge (partly hidden, partly showing, as "Add to my report" was).
   */
  async function expectClearOfExitBar(page: Page, anchor: string) {
    const layout = await page.evaluate((id) => {
      const bar = document.querySelector('.liaison-exit')!.getBoundingClientRect();
      const target = document.getElementById(id)!.getBoundingClientRect();
      const cut = [...document.querySelectorAll('main a[href], main button')]
        .filter((element) => {
          const box = element.getBoundingClientRect();
          const acrossBar = box.right > bar.left && box.left < bar.right;
          return box.height > 0 && acrossBar && box.top < bar.bottom && box.bottom > bar.bottom;
        })
        .map((element) => element.textContent?.trim() || element.id);
      return { barBottom: bar.bottom, targetTop: target.top, cut };
    }, anchor);
    expect(layout.targetTop, anchor).toBeGreaterThanOrEqual(layout.barBottom);
    expect(layout.cut, anchor).toEqual([]);
  }

  /** The report page, loaded again after a form, at the section the form belongs to. */
  async function arrived(page: Page, fragment: string, sign: Locator) {
    await page.waitForURL(`${world.baseUrl}/check/report${fragment}`);
    await sign.waitFor();
    await page.waitForLoadState('load');
    await expectClearOfExitBar(page, fragment.slice(1));
    await expectAccessible(page);
  }

  for (const [javaScriptEnabled, viewport] of [
    [true, PHONE],
    [false, PHONE],
    [true, DESKTOP],
  ] as const) {
    it(`keeps the sticky exit bar clear of what the page jumps to (JavaScript ${javaScriptEnabled ? 'on' : 'off'}, ${viewport.width}×${viewport.height})`, async () => {
      const code = await aReceiptCode(world);
      const page = await newPage(world, { viewport, javaScriptEnabled });
      await openReport(world, page, code);
      await page.getByLabel('Send a message to us').fill('Text me after six.');
      await page.getByRole('button', { name: 'Send message' }).click();
      await arrived(page, '#messages', page.getByText('Text me after six.'));
      await page.getByLabel('What do you want to add?').fill('It was near the arches.');
      await page.getByRole('button', { name: 'Add to my report' }).click();
      await arrived(page, '#additions', page.getByText('It was near the arches.'));
      // A changed choice is confirmed by a success banner at the top of the page, not a jump.
      await page.getByRole('button', { name: /^Agree\s*: Warn others about this person$/ }).click();
      await page.waitForURL(`${world.baseUrl}/check/report?done=given&scope=warnOthers`);
      await page.getByRole('button', { name: /^Take back\s*: Warn others about this person$/ }).waitFor();
      // A link to the choices section still jumps there, clear of the bar.
      await page.goto(`${world.baseUrl}/check/report#choices`);
      await arrived(
        page,
        '#choices',
        page.getByRole('button', { name: /^Take back\s*: Warn others about this person$/ }),
      );
      await page.context().close();
    });
  }

  /** What a person sees of an element: its text colour, underline and background. */
  const looks = (locator: Locator) =>
    locator.evaluate((element) => {
      const style = getComputedStyle(element);
      return { color: style.color, underline: style.textDecorationLine, background: style.backgroundColor };
    });

  it('shows buttons that act as links as links: colour, underline, hover and focus', async () => {
    const code = await aReceiptCode(world);
    const page = await newPage(world, { viewport: PHONE });
    await openReport(world, page, code);
    const link = page.getByRole('link', { name: 'Tell us what you think' });
    const button = page.getByRole('button', { name: /^Agree\s*: Warn others about this person$/ });
    const atRest = await looks(link);
    expect(atRest.underline).toBe('underline');
    expect(await looks(button)).toEqual(atRest);
    await link.hover();
    const hovered = await looks(link);
    expect(hovered.color).not.toBe(atRest.color);
    await button.hover();
    expect(await looks(button)).toEqual(hovered);
    await page.mouse.move(0, PHONE.height - 1);
    await link.focus();
    const focused = await looks(link);
    expect(focused.background).not.toBe(atRest.background);
    await button.focus();
    expect(await looks(button)).toEqual(focused);
    await page.context().close();
  });

  it('shows the staff sign-out button in the colour of the menu links beside it', async () => {
    const admin = await createStaff(world.t, { role: 'admin' });
    const page = await newPage(world, { viewport: DESKTOP });
    await signIn(world, page, admin);
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const menuLink = page.getByRole('navigation', { name: 'Staff menu' }).getByRole('link', { name: 'Audit trail' });
    expect((await looks(signOut)).color).toBe((await looks(menuLink)).color);
    await page.context().close();
  });
});
