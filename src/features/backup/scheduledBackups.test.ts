import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { defineJobs, type JobServices } from '../../scheduledWork.ts';
import type { JobDefinition, JobRunner } from '../jobs/jobRunner.ts';
import { nextSlot } from '../jobs/jobRunner.ts';
import { scheduledBackupName } from './backupService.ts';

const DAY_MS = 24 * 60 * 60_000;

describe.each(testDatabases)('scheduled backups (%s)', (kind) => {
  let t: TestApp;
  let dir: string;
  const extension = kind === 'sqlite' ? 'sqlite' : 'pgdump';
  const named = new RegExp(`^liaison-\\d{8}-\\d{6}\\.${extension}$`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-nightly-'));
    t = await startTestApp(kind, { BACKUP_DIR: dir, BACKUP_KEEP: '2', PATH: process.env.PATH ?? '' });
    await t.services.jobRunner.syncSchedules();
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Moves the clock just past the next 01:30 in London and runs what is due. */
  async function nightPasses(): Promise<void> {
    const now = t.clock.now();
    t.clock.advance(nextSlot('30 1 * * *', now).getTime() - now.getTime() + 60_000);
    await t.services.jobRunner.runUntilIdle(['backup.scheduled']);
  }

  const backup = async () => (await t.services.jobsOverview.types()).find((type) => type.type === 'backup.scheduled');

  it('writes a named copy each night, keeps the newest BACKUP_KEEP and leaves other files alone', async () => {
    fs.writeFileSync(path.join(dir, 'README.txt'), 'the operator keeps notes here');
    const abandoned = path.join(dir, '.liaison-20000101-000000.sqlite.0123456789ab.partial');
    fs.writeFileSync(abandoned, '');
    const longAgo = new Date(t.clock.now().getTime() - 2 * DAY_MS);
    fs.utimesSync(abandoned, longAgo, longAgo);

    const names: string[] = [];
    for (let night = 0; night < 3; night++) {
      await nightPasses();
      const status = await backup();
      expect(status?.lastError).toBeNull();
      const name = status!.lastDetail!.split(',')[0]!;
      expect(name).toMatch(named);
      expect(status!.lastDetail).toMatch(
        new RegExp(
          `^${name.replace('.', '\\.')}, [\\d.]+ (KB|MB) in \\d+\\.\\d s; ${night < 2 ? 0 : 1} older removed$`,
        ),
      );
      names.push(name);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['README.txt', names[1], names[2]]);
    for (const name of names.slice(1)) {
      const file = path.join(dir, name);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const head = fs.readFileSync(file).subarray(0, 15).toString('latin1');
      expect(head.startsWith(kind === 'sqlite' ? 'SQLite format 3' : 'PGDMP')).toBe(true);
    }

    // Administrators see when the last one was taken, its name and its size.
    const admin = await signedInStaff(t, { role: 'admin' });
    const page = await admin.browser.get('/admin/jobs');
    expect(page.statusCode).toBe(200);
    const row = /<tr class="govuk-table__row" data-job-type="backup\.scheduled">([\s\S]*?)<\/tr>/.exec(page.body)?.[1];
    expect(row).toContain(names[2]);
    expect(row).toMatch(/<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d<\/time> UTC/);
    expect(row).toContain('OK');
  });

  it('fails visibly, creating nothing, when BACKUP_DIR is gone (a backup disk not mounted)', async () => {
    const kept = fs.readdirSync(dir);
    const moved = `${dir}-away`;
    fs.renameSync(dir, moved);
    try {
      await nightPasses();
      expect(fs.existsSync(dir)).toBe(false);
      expect(await backup()).toMatchObject({ lastError: 'backup-dir-missing', failures: 1 });
    } finally {
      fs.renameSync(moved, dir);
    }
    expect(fs.readdirSync(dir)).toEqual(kept);
  });
});

describe('backup.scheduled', () => {
  it('exists only when BACKUP_DIR is set', () => {
    const defined = (backups: JobServices['backups']) => {
      const types: string[] = [];
      const runner = { define: (definition: JobDefinition) => types.push(definition.type) };
      defineJobs(runner as unknown as JobRunner, { backups } as JobServices);
      return types;
    };
    expect(defined(undefined)).not.toContain('backup.scheduled');
    expect(defined({ scheduled: async () => 'done' })).toContain('backup.scheduled');
  });

  it('names files by the UTC time, so they sort across clock changes', () => {
    expect(scheduledBackupName(new Date('2026-10-25T00:30:05.123Z'), 'sqlite')).toBe('liaison-20261025-003005.sqlite');
    expect(scheduledBackupName(new Date('2026-10-25T01:30:00Z'), 'pgdump')).toBe('liaison-20261025-013000.pgdump');
  });
});
