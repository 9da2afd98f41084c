import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('/admin/jobs (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  /** A queued job that fails every time, as a mail server that is down would make it. */
  async function failedJob(): Promise<string> {
    const { db, jobQueue, jobRunner } = t.services;
    await jobQueue.enqueue(
      db,
      'member-alerts.fan-out',
      { warningId: 'w-missing', orgId: 'o-missing' },
      { maxAttempts: 1 },
    );
    const failing = Object.assign(new Error('refused for jo@example.org'), { code: 'ECONNREFUSED' });
    const original = t.services.memberAlerts.fanOut.bind(t.services.memberAlerts);
    t.services.memberAlerts.fanOut = async () => {
      throw failing;
    };
    try {
      await jobRunner.runUntilIdle();
    } finally {
      t.services.memberAlerts.fanOut = original;
    }
    const row = await db.selectFrom('jobs').select('id').where('failed_at', 'is not', null).executeTakeFirstOrThrow();
    return row.id;
  }

  it('shows each kind of job to the administrators of a support organisation, and nobody else', async () => {
    await t.services.jobRunner.syncSchedules();
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/jobs');
    expect(page.statusCode).toBe(200);
    for (const type of [
      'member-alerts.deliver',
      'drafts.purge-expired',
      'sessions.purge-expired',
      'links.purge-expired',
    ])
      expect(page.body).toContain(`data-job-type="${type}"`);
    expect(page.body).toContain('id="no-failed-jobs"');
    expect(page.body).toContain('href="/admin/jobs"');

    const caseworker = await signedInStaff(t, { role: 'caseworker' });
    expect((await caseworker.browser.get('/admin/jobs')).statusCode).toBe(403);
    const policeAdmin = await signedInStaff(t, { role: 'admin', orgKind: 'police' });
    const refused = await policeAdmin.browser.get('/admin/jobs');
    expect(refused.statusCode).toBe(403);
    expect((await policeAdmin.browser.get('/staff')).body).not.toContain('href="/admin/jobs"');
  });

  it('keeps a failed job in view with its short error code until an administrator dismisses it', async () => {
    const id = await failedJob();
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/jobs');
    expect(page.body).toContain('id="failed-jobs"');
    expect(page.body).toContain('<code>ECONNREFUSED</code>');
    expect(page.body).not.toContain('jo@example.org');

    const done = await admin.browser.post(`/admin/jobs/${id}/dismiss`, {}, page.body);
    expect(done.statusCode).toBe(303);
    const after = await admin.browser.follow(done);
    expect(after.body).toContain('The failed job was dismissed');
    expect(after.body).toContain('id="no-failed-jobs"');
    expect((await admin.browser.post(`/admin/jobs/${id}/dismiss`, {}, after.body)).statusCode).toBe(404);
  });
});
