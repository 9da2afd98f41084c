import { describe, expect, it } from 'vitest';
import { CODE_SPIKE_POLICY, TICKET_WAIT_MS } from '../../src/features/throttling/codeGuard.ts';
import {
  type BrowserWorld,
  chromiumAvailable,
  expectAccessible,
  newPage,
  useBrowserWorld,
  visit,
} from './browserHarness.ts';

/** Enough wrong receipt codes from many addresses to start a guessing spike. */
async function startSpike(world: BrowserWorld): Promise<void> {
  if (await world.t.services.codeGuard.ticketIfNeeded('receipt', '192.0.2.1')) return;
  for (let i = 0; i < CODE_SPIKE_POLICY.maxFailures; i += 1) {
    await world.t.services.reports.attemptCode(
      `9000 0000 0000 ${String(i).padStart(4, '0')}`,
      `198.18.${Math.floor(i / 4)}.${(i % 4) + 1}`,
      {},
      { offerTickets: true },
    );
  }
}

async function newReceiptCode(world: BrowserWorld): Promise<string> {
  if (!(await world.t.services.organisations.findBySlug('safe-streets'))) {
    await world.t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  }
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

describe.skipIf(!chromiumAvailable)('"Check your report" while codes are being guessed, in a real browser', () => {
  const world = useBrowserWorld();

  it('with JavaScript, the browser solves the proof of work itself and the report opens', async () => {
    await startSpike(world);
    const code = await newReceiptCode(world);
    const page = await newPage(world);
    await visit(world, page, '/check');
    expect(await page.locator('[data-proof-of-work]').innerText()).toContain(
      'Many wrong codes are being tried on this site right now',
    );
    await page.getByLabel('Receipt code').fill(code);
    await page.getByRole('button', { name: 'Open my report' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report`);
    await expectAccessible(page);
  });

  it('without JavaScript, the report opens after the short wait the page asks for', async () => {
    await startSpike(world);
    const code = await newReceiptCode(world);
    const page = await newPage(world, { javaScriptEnabled: false });
    await visit(world, page, '/check');
    await page.getByLabel('Receipt code').fill(code);
    await page.getByRole('button', { name: 'Open my report' }).click();
    await page.waitForSelector('.govuk-error-summary');
    const problem = await page.locator('.govuk-error-summary').innerText();
    const wait = Number(/Wait (\d+) seconds? more, then enter your code/.exec(problem)?.[1]);
    // At most two waits: tickets from one address are spaced one wait apart (the first test used one).
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual((2 * TICKET_WAIT_MS) / 1000);
    await expectAccessible(page);
    world.t.clock.advance(wait * 1000);
    await page.getByLabel('Receipt code').fill(code);
    await page.getByRole('button', { name: 'Open my report' }).click();
    await page.waitForURL(`${world.baseUrl}/check/report`);
  });
});
