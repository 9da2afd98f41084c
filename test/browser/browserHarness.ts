import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { totpNow } from '../support/staff.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

const require = createRequire(import.meta.url);
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);
export const browserRequired = process.env.REQUIRE_BROWSER === '1';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserWorld {
  t: TestApp;
  baseUrl: string;
  exitUrl: string;
  browser: Browser;
  /** Requests that left the loopback interface (there must be none). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/** The real app on a loopback port, a stand-in "weather" site to exit to, and Debian's chromium. */
export async function startBrowserWorld(): Promise<BrowserWorld> {
  const exitSite = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html lang="en"><title>Weather</title><h1>Weather forecast</h1></html>');
  });
  await new Promise<void>((resolve) => exitSite.listen(0, '127.0.0.1', resolve));
  const exitUrl = `http://127.0.0.1:${(exitSite.address() as AddressInfo).port}/weather`;
  const t = await startTestApp('sqlite', { EXIT_URL: exitUrl });
  const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // Playwright adds --headless itself, and a fresh temporary --user-data-dir
  // for every launch (deleted on close); it refuses a --user-data-dir argument.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const foreignRequests: string[] = [];
  return {
    t,
    baseUrl,
    exitUrl,
    browser,
    foreignRequests,
    async close() {
      await browser.close();
      await t.close();
      await new Promise((resolve) => exitSite.close(resolve));
    },
  };
}

/**
 * Starts a browser world before the suite's tests and closes it after them,
 * checking that nothing was fetched from outside this machine.
 */
export function useBrowserWorld(): BrowserWorld {
  const world = {} as BrowserWorld;
  // A journey runs axe on a dozen pages; on a busy two-core CI machine that outgrows
  // the 30 s unit-test limit. The limit is a hang guard here, not a speed check.
  vi.setConfig({ testTimeout: 120_000 });
  beforeAll(async () => {
    Object.assign(world, await startBrowserWorld());
  });
  afterAll(async () => {
    expect(world.foreignRequests).toEqual([]);
    await world.close();
  });
  return world;
}

/** Tabs opened with scripts off, with the world they belong to (axe cannot run in them: see below). */
const scriptlessPages = new WeakMap<Page, BrowserWorld>();

/** A fresh, cookie-less browser tab that records any request leaving this machine. */
export async function newPage(
  world: BrowserWorld,
  options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await world.browser.newContext({
    javaScriptEnabled,
    viewport: options.viewport ?? { width: 1024, height: 768 },
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:')
      world.foreignRequests.push(request.url());
  });
  if (!javaScriptEnabled) scriptlessPages.set(page, world);
  return page;
}

/**
 * Runs axe-core (WCAG 2.2 A and AA) on the current page and asserts there are no violations.
 * With scripts off, timers never fire, so axe cannot finish in that tab: the page as the
 * scriptless browser built it is checked in a second tab, with our own script blocked.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const world = scriptlessPages.get(page);
  if (world) return expectScriptlessPageAccessible(world, page);
  await runAxe(page);
}

async function expectScriptlessPageAccessible(world: BrowserWorld, page: Page): Promise<void> {
  const html = await page.content();
  const address = page.url();
  const checker = await newPage(world, { viewport: page.viewportSize() ?? undefined });
  await checker.route(
    (url) => url.pathname === '/assets/app.js',
    (route) => route.abort(),
  );
  await checker.route(
    (url) => url.href === address,
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await checker.goto(address);
  try {
    await runAxe(checker);
  } finally {
    await checker.context().close();
  }
}

async function runAxe(page: Page): Promise<void> {
  // The strict CSP blocks injected <script> tags, so evaluate axe's source directly.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    );
  }, WCAG_TAGS);
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

/** Opens a page of our site and checks it with axe. */
export async function visit(world: BrowserWorld, page: Page, path: string): Promise<void> {
  const response = await page.goto(`${world.baseUrl}${path}`);
  expect(response, path).not.toBeNull();
  await expectAccessible(page);
}

/**
 * Signs a member of staff in through the real pages, with a real two-factor code, checking each
 * page with axe; then moves the clock on so the next code is a fresh one.
 */
export async function signIn(
  world: BrowserWorld,
  page: Page,
  who: { email: string; password: string; totpSecret: string },
): Promise<void> {
  await visit(world, page, '/sign-in');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${world.baseUrl}/sign-in/code`);
  await expectAccessible(page);
  await page.getByLabel('Security code').fill(await totpNow(world.t, who.totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${world.baseUrl}/staff`);
  await expectAccessible(page);
  world.t.clock.advance(30_000);
}
