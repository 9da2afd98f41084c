import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { JobRunner, errorCode, retryDelayMs } from './jobRunner.ts';
import { JobsOverview } from './jobsOverview.ts';

const MINUTE = 60_000;

describe('errorCode and back-off', () => {
  it('reports a driver code or the error class, never the message (it may hold personal data)', () => {
    expect(errorCode(Object.assign(new Error('mail to jo@example.org refused'), { code: 'EENVELOPE' }))).toBe(
      'EENVELOPE',
    );
    expect(errorCode(new TypeError('cannot read jo@example.org'))).toBe('TypeError');
    expect(errorCode(Object.assign(new Error('x'), { code: 'has spaces and jo@example.org' }))).toBe('Error');
    expect(errorCode('a string')).toBe('error');
  });

  it('waits 30 s, then doubles, up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(60 * MINUTE);
  });
});

describe.each(testDatabases)('the job runner (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  /** A second runner on the same database, as another instance would have. */
  const anotherRunner = (options: { leaseMs?: number } = {}) =>
    new JobRunner(t.services.db, t.services.database.dialect, t.services.jobQueue, t.clock.now, {
      pollMs: 1000,
      leaseMs: options.leaseMs ?? 5 * MINUTE,
      batch: 20,
      onError: () => {},
    });

  it('runs a queued job once, even with two runners claiming at the same moment', async () => {
    const runs: string[] = [];
    const runners = [anotherRunner(), anotherRunner()];
    for (const runner of runners)
      runner.define({
        type: 'test.once',
        description: 'test',
        run: async (payload) => {
          runs.push(String(payload.n));
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      });
    for (let n = 0; n < 10; n++) await t.services.jobQueue.enqueue(t.services.db, 'test.once', { n });
    const ran = await Promise.all(runners.map((runner) => runner.runUntilIdle()));
    expect(ran[0]! + ran[1]!).toBe(10);
    expect(runs.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('commits a job with the change that queued it, and not when that change rolls back', async () => {
    const { db, jobQueue } = t.services;
    await db.transaction().execute((trx) => jobQueue.enqueue(trx, 'test.outbox', { kept: true }));
    await expect(
      db.transaction().execute(async (trx) => {
        await jobQueue.enqueue(trx, 'test.outbox', { kept: false });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await db.selectFrom('jobs').select('payload').where('type', '=', 'test.outbox').execute();
    expect(rows.map((r) => JSON.parse(r.payload) as unknown)).toEqual([{ kept: true }]);
  });

  it('retries a failing job with back-off, then keeps it as failed until dismissed', async () => {
    const runner = anotherRunner();
    let calls = 0;
    runner.define({
      type: 'test.flaky',
      description: 'test',
      run: async () => {
        calls += 1;
        throw Object.assign(new Error('smtp said no to jo@example.org'), { code: 'ECONNREFUSED' });
      },
    });
    await t.services.jobQueue.enqueue(t.services.db, 'test.flaky', {}, { maxAttempts: 3 });
    expect(await runner.tick()).toBe(1);
    expect(await runner.tick()).toBe(0); // not due again for 30 s
    t.clock.advance(30_000);
    expect(await runner.tick()).toBe(1);
    t.clock.advance(59_000);
    expect(await runner.tick()).toBe(0);
    t.clock.advance(1_000);
    expect(await runner.tick()).toBe(1);
    t.clock.advance(60 * MINUTE);
    expect(await runner.tick()).toBe(0); // three tries spent
    expect(calls).toBe(3);

    const overview = new JobsOverview(t.services.db, runner, t.services.audit, t.clock.now);
    const [failed] = (await overview.failed()).filter((f) => f.type === 'test.flaky');
    expect(failed).toMatchObject({ error: 'ECONNREFUSED', attempts: 3 });
    expect((await overview.types()).find((s) => s.type === 'test.flaky')).toMatchObject({ failures: 1 });
    const stored = await t.services.db
      .selectFrom('jobs')
      .select('last_error')
      .where('type', '=', 'test.flaky')
      .execute();
    expect(JSON.stringify(stored)).not.toContain('jo@example.org');

    const admin = { userId: 'u-admin', orgId: 'o-admin' };
    expect(await overview.dismiss(admin, failed!.id)).toBe(true);
    expect(await overview.dismiss(admin, failed!.id)).toBe(false);
    expect((await overview.failed()).map((f) => f.id)).not.toContain(failed!.id);
    expect((await overview.types()).find((s) => s.type === 'test.flaky')).toMatchObject({ failures: 0 });
    const audit = await t.services.db
      .selectFrom('audit_entries')
      .select('action')
      .where('target_id', '=', failed!.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['job.dismissed']);
  });

  it('takes a job back from a runner that died holding it, once its lease has lapsed', async () => {
    const dead = anotherRunner({ leaseMs: MINUTE });
    const alive = anotherRunner({ leaseMs: MINUTE });
    const runs: string[] = [];
    dead.define({ type: 'test.lease', description: 'test', run: () => new Promise(() => {}) }); // never ends
    alive.define({ type: 'test.lease', description: 'test', run: async () => void runs.push('alive') });
    await t.services.jobQueue.enqueue(t.services.db, 'test.lease');
    void dead.tick(); // claims the job, then "dies" with it
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await alive.tick()).toBe(0); // leased to the dead runner
    t.clock.advance(MINUTE + 1);
    expect(await alive.tick()).toBe(1);
    expect(runs).toEqual(['alive']);
  });

  it('queues each scheduled slot once across runners, and shows last and next run', async () => {
    const runs: number[] = [];
    const runners = [anotherRunner(), anotherRunner()];
    for (const runner of runners)
      runner.define({
        type: 'test.hourly',
        description: 'Every hour at five past',
        schedule: '5 * * * *',
        run: async () => {
          runs.push(t.clock.now().getTime());
          return '2 things tidied';
        },
      });
    await runners[0]!.syncSchedules();
    await runners[1]!.syncSchedules();
    await Promise.all(runners.map((r) => r.runUntilIdle()));
    expect(runs).toEqual([]); // the first slot is in the future
    t.clock.advance(61 * MINUTE);
    await Promise.all(runners.map((r) => r.runUntilIdle()));
    await Promise.all(runners.map((r) => r.runUntilIdle()));
    expect(runs).toHaveLength(1);
    // Slots missed while nothing ran are run once, not once each.
    t.clock.advance(5 * 60 * MINUTE);
    await Promise.all(runners.map((r) => r.runUntilIdle()));
    expect(runs).toHaveLength(2);

    const overview = new JobsOverview(t.services.db, runners[0]!, t.services.audit, t.clock.now);
    const status = (await overview.types()).find((s) => s.type === 'test.hourly');
    expect(status).toMatchObject({ schedule: '5 * * * *', lastDetail: '2 things tidied', lastError: null });
    expect(Date.parse(status!.nextRunAt!)).toBeGreaterThan(t.clock.now().getTime());
    expect(new Date(status!.nextRunAt!).getUTCMinutes()).toBe(5);
  });

  it('defines the service’s own work: alerts, drafts, retention, sessions, throttles, links and old jobs', () => {
    expect(t.services.jobRunner.describe().map((d) => [d.type, d.schedule ?? null])).toEqual([
      ['drafts.purge-expired', '7 * * * *'],
      ['jobs.purge-finished', '47 3 * * *'],
      ['keys.reencrypt', null],
      ['links.purge-expired', '37 3 * * *'],
      ['member-alerts.deliver', '* * * * *'],
      ['member-alerts.fan-out', null],
      ['retention.apply', '15 2 * * *'],
      ['sessions.purge-expired', '17 * * * *'],
      ['throttles.purge-stale', '27 * * * *'],
    ]);
  });

  it('removes expired drafts when the hourly job runs, and says how many', async () => {
    const { db, jobRunner } = t.services;
    const org = await t.services.organisations.create(
      { kind: 'support', name: 'Jobs test charity', slug: `jobs-${kind}` },
      { kind: 'system' },
    );
    await t.services.reportDrafts.start(org.id, 'online', null);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('report_drafts')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(1);
    t.clock.advance(25 * 60 * MINUTE);
    await jobRunner.syncSchedules();
    t.clock.advance(2 * 60 * MINUTE);
    await jobRunner.runUntilIdle();
    expect(await count()).toBe(0);
    const drafts = (await t.services.jobsOverview.types()).find((s) => s.type === 'drafts.purge-expired');
    expect(drafts?.lastDetail).toMatch(/^\d+ drafts? removed$/);
  });
});
