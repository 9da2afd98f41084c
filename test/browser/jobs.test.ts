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

describe.skipIf(!chromiumAvailable)('the jobs page in a real browser', () => {
  const world = useBrowserWorld();

  it('shows each kind of job and a failed one, dismisses it, and every page passes axe', async () => {
    const { db, jobQueue, jobRunner } = world.t.services;
    await jobRunner.syncSchedules();
    await jobQueue.enqueue(db, 'member-alerts.fan-out', { warningId: 'w-gone', orgId: 'o-gone' }, { maxAttempts: 1 });
    const fanOut = world.t.services.memberAlerts.fanOut.bind(world.t.services.memberAlerts);
    world.t.services.memberAlerts.fanOut = async () => {
      throw Object.assign(new Error('mail server down'), { code: 'ECONNREFUSED' });
    };
    try {
      await jobRunner.runUntilIdle(['member-alerts.fan-out']);
    } finally {
      world.t.services.memberAlerts.fanOut = fanOut;
    }

    const admin = await createStaff(world.t, { role: 'admin' });
    const page = await newPage(world, { javaScriptEnabled: false });
    await signIn(world, page, admin);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.waitForURL(`${world.baseUrl}/admin/jobs`);
    await expectAccessible(page);
    expect(await page.locator('#job-types').innerText()).toContain('member-alerts.deliver');
    expect(await page.locator('#failed-jobs').innerText()).toContain('ECONNREFUSED');
    await page.getByRole('button', { name: 'Dismiss the failed member-alerts.fan-out job' }).click();
    await page.waitForURL(`${world.baseUrl}/admin/jobs?dismissed=1`);
    await expectAccessible(page);
    expect(await page.locator('#no-failed-jobs').innerText()).toBe('No job has failed.');
    await visit(world, page, '/admin/jobs');
  });
});
