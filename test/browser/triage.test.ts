import { describe, expect, it } from 'vitest';
import { createStaff, totpNow } from '../support/staff.ts';
import { chromiumAvailable, expectAccessible, newPage, useBrowserWorld, visit } from './browserHarness.ts';

const CONSENTS = {
  support: true,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};

describe.skipIf(!chromiumAvailable)('triage in a real browser', () => {
  const world = useBrowserWorld();

  it('filters the inbox, opens a case, triages it, adds a note and a task, and sees them in the history', async () => {
    const { t } = world;
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const caseworker = await createStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
    const liaison = await createStaff(t, { role: 'liaison', orgSlug: 'safe-streets' });
    const submit = (types: string[], account: string) =>
      t.services.reports.submit(
        {
          org: 'safe-streets',
          incidentTypes: types as ['stalking'],
          account,
          consents: CONSENTS,
          perpetrator: { names: [], phones: [], emails: [], handles: [] },
        },
        { source: 'online', recordedBy: null, idempotencyKey: undefined },
      );
    const stalking = await submit(['stalking'], 'He waits outside the hostel every night');
    const robbery = await submit(['robbery-or-theft'], 'Took my bag at the station');

    const page = await newPage(world);
    await visit(world, page, '/staff/reports');
    await page.getByLabel('Email address').fill(caseworker.email);
    await page.getByLabel('Password', { exact: true }).fill(caseworker.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${world.baseUrl}/sign-in/code`);
    await page.getByLabel('Security code').fill(await totpNow(t, caseworker.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${world.baseUrl}/staff`);
    t.clock.advance(30_000);

    // The inbox, then filtered by what happened.
    await visit(world, page, '/staff/reports');
    expect(await page.locator('#reports').innerText()).toContain(robbery.reference);
    await page.getByLabel('What happened').selectOption('stalking');
    await page.getByLabel('Source').selectOption('online');
    await page.getByRole('button', { name: 'Filter reports' }).click();
    await page.waitForURL(/type=stalking/);
    await expectAccessible(page);
    const filtered = await page.locator('#reports').innerText();
    expect(filtered).toContain(stalking.reference);
    expect(filtered).not.toContain(robbery.reference);
    expect(await page.getByLabel('What happened').inputValue()).toBe('stalking');

    // A bad date is explained, with the error summary.
    await page.getByLabel('Sent from').fill('2026-11-28');
    await page.getByLabel('Sent to').fill('2026-01-01');
    await page.getByRole('button', { name: 'Filter reports' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page);
    await visit(world, page, '/staff/reports?type=stalking');

    // Open the case and triage it.
    await page.getByRole('link', { name: stalking.reference }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${stalking.reference}`);
    await expectAccessible(page);
    await page.getByLabel('Status').selectOption('open');
    await page.getByLabel('Looked after by').selectOption(liaison.userId);
    await page.getByLabel('Priority').selectOption('urgent');
    await page.getByLabel('Immediate danger').check();
    await page.getByLabel('Repeat victim').check();
    await page.getByRole('button', { name: 'Save triage' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/reports/${stalking.reference}#triage`);
    await expectAccessible(page);

    // A note, a task with a mistake first, then the task.
    await page.getByLabel('Add a note').fill('Hostel staff know him by sight.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/#notes$/);
    await page.getByLabel('What needs doing').fill('Ask the hostel about CCTV');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expectAccessible(page);
    expect(await page.getByLabel('What needs doing').inputValue()).toBe('Ask the hostel about CCTV');
    await page.getByLabel('Due date').fill('2030-01-15');
    await page.getByLabel('Who will do it').selectOption(liaison.userId);
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.waitForURL(/#tasks$/);
    await expectAccessible(page);

    const history = await page.locator('#history').innerText();
    expect(history).toContain(`${caseworker.email}`);
    expect(history).toContain('Set status to open');
    expect(history).toContain(`Assigned to ${liaison.email}`);
    expect(history).toContain('Set priority to urgent');
    expect(history).toContain('Set risk flags to Immediate danger, Repeat victim');
    expect(history).toContain('Hostel staff know him by sight.');
    expect(history).toContain(`Task added: Ask the hostel about CCTV (due 2030-01-15, for ${liaison.email})`);
    expect(await page.locator('#tasks + table, #tasks ~ table').first().innerText()).toContain(
      'Ask the hostel about CCTV',
    );

    // Back in the inbox: priority, flags and who looks after it, and the flag filter finds it.
    await visit(world, page, '/staff/reports?flag=immediate-danger');
    const row = await page.locator('#reports tbody tr').first().innerText();
    expect(row).toContain(stalking.reference);
    expect(row).toContain('urgent');
    expect(row).toContain('Immediate danger');
    expect(row).toContain(liaison.email);

    // My tasks: the caseworker owns none of these; the navigation leads there.
    await page.getByRole('link', { name: 'My tasks' }).click();
    await page.waitForURL(`${world.baseUrl}/staff/tasks`);
    await expectAccessible(page);
    expect(await page.locator('main').innerText()).toContain('You have no open tasks.');
    await page.context().close();
  });
});
