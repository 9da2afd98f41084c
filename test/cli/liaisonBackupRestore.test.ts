import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import type { Submitted } from '../../src/features/reporting/reportService.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';
import { LiaisonHarness, type CliResult } from './liaisonHarness.ts';

const run = promisify(execFile);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'liaison.js');

/** Reports sent before the backup starts: each must open with its receipt code after the restore. */
const BEFORE = 50;
const ACCOUNT = 'was followed home along the canal path';

/** `liaison ARGS` in a process of its own, with any environment (the harness's is fixed to its database). */
async function liaison(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function liaisonHere(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

function submit(services: Services, i: number): Promise<Submitted> {
  return services.reports.submit(
    {
      org: 'safe-streets',
      incidentTypes: ['physical-assault'],
      account: `Report ${i}: I ${ACCOUNT}`,
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
}

describe.each(testDatabases)('liaison backup and restore on %s', (kind) => {
  let h: LiaisonHarness;
  let backups: string;
  const format = kind === 'sqlite' ? 'sqlite' : 'pgdump';

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    backups = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-backups-'));
    expect(
      (await h.inProcess('org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'))
        .code,
    ).toBe(0);
    expect(
      (
        await h.inProcess(
          'user',
          'invite',
          '--org',
          'safe-streets',
          '--role',
          'caseworker',
          '--email',
          'cw@example.org',
        )
      ).code,
    ).toBe(0);
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(backups, { recursive: true, force: true });
  });

  /** The master key as the operator keeps it: LIAISON_MASTER_KEY, or DATA_DIR/master.key for SQLite. */
  const masterKey = () =>
    h.env.LIAISON_MASTER_KEY ?? fs.readFileSync(path.join(h.scratch.dataDir, 'master.key'), 'utf8').trim();

  it('restore drill: backed up while reports keep arriving, restored into an empty database, every earlier report opens with its receipt code and the audit trail verifies', async () => {
    const file = path.join(backups, `drill.${format}`);
    const { before, during, backup } = await h.withApp(async (_app, services) => {
      const before: Submitted[] = [];
      for (let i = 0; i < BEFORE; i++) before.push(await submit(services, i));
      // Reports keep arriving, one after another, for as long as the backup (another process) runs.
      const during: Submitted[] = [];
      let backingUp = true;
      const writer = (async () => {
        for (let i = BEFORE; backingUp; i++) during.push(await submit(services, i));
      })();
      const backup = await liaison(h.env, 'backup', '--out', file);
      backingUp = false;
      await writer;
      return { before, during, backup };
    });
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    const [written, warning] = backup.stdout.trimEnd().split('\n');
    expect(written).toMatch(
      new RegExp(
        `^Backup written to ${file.replace(/[.]/g, '\\.')}: [\\d.]+ (KB|MB) \\(\\d+ bytes\\) in \\d+\\.\\d s\\.$`,
      ),
    );
    expect(warning).toContain('the master key is not in it: keep the master key');
    expect(during.length).toBeGreaterThan(0);

    // One whole file, for this user only; nothing half-written left beside it.
    expect(fs.readdirSync(backups)).toEqual([path.basename(file)]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // What is encrypted stays encrypted, and the master key is not there in any form.
    const bytes = fs.readFileSync(file);
    const readable =
      kind === 'sqlite'
        ? bytes.toString('latin1')
        : (await run('pg_restore', ['--data-only', '--file=-', file], { maxBuffer: 1 << 26 })).stdout;
    expect(readable).toContain('safe-streets');
    expect(readable).not.toContain(ACCOUNT);
    expect(readable).not.toContain('cw@example.org');
    expect(readable).not.toContain(masterKey());
    expect(bytes.includes(Buffer.from(masterKey(), 'base64'))).toBe(false);

    const target: ScratchDatabase = await createScratchDatabase(kind);
    const env: Record<string, string> = {
      ...h.env,
      DATA_DIR: target.dataDir,
      ...(target.target.dialect === 'postgres' ? { DATABASE_URL: target.target.url } : {}),
    };
    try {
      if (kind === 'sqlite') {
        // The key is not in the backup: without it, nothing happens (and no new key is made).
        const keyless = await liaisonHere(env, 'restore', '--from', file);
        expect(keyless.code).toBe(1);
        expect(keyless.stderr).toContain('No master key: set LIAISON_MASTER_KEY, or put the master.key file');
        expect(fs.readdirSync(target.dataDir)).toEqual([]);
        // Another installation's key: refused before the copy takes the database's place.
        fs.writeFileSync(path.join(target.dataDir, 'master.key'), `${crypto.randomBytes(32).toString('base64')}\n`);
        const wrongKey = await liaisonHere(env, 'restore', '--from', file);
        expect(wrongKey).toMatchObject({
          code: 1,
          stderr:
            'liaison restore: This master key does not open the backup (it was taken under another one). Nothing was changed.\n',
        });
        expect(fs.readdirSync(target.dataDir)).toEqual(['master.key']);
        fs.copyFileSync(path.join(h.scratch.dataDir, 'master.key'), path.join(target.dataDir, 'master.key'));
      }
      const restored = await liaison(env, 'restore', '--from', file);
      expect(restored).toMatchObject({ code: 0, stderr: '' });
      const lines = restored.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        new RegExp(`^Restored ${file.replace(/[.]/g, '\\.')} \\([\\d.]+ (KB|MB)\\) into .*, which was empty\\.$`),
      );
      expect(lines.slice(1)).toEqual([
        'Migrations: the backup was up to date.',
        'Rebuilt from the data: attrition_watch, report_tags, area_text',
        expect.stringMatching(/^Audit trail intact: \d+ entries\.$/),
        'Restore complete: start the server with the same master key.',
      ]);
      expect(restored.stdout).not.toContain(masterKey());

      const services = await buildServices(loadConfig(env), { migrate: false });
      try {
        // Every report sent before the backup began opens with its receipt code.
        for (const report of before)
          expect(await services.reports.openWithCode(report.receiptCode!, '192.0.2.10')).toBe(report.reportId);
        const rows = await services.db.selectFrom('reports').select('id').execute();
        const ids = new Set(rows.map((r) => r.id));
        // The copy is one moment: the reports sent during the backup that it holds are the first ones.
        const caught = during.filter((r) => ids.has(r.reportId)).length;
        expect(during.slice(0, caught).every((r) => ids.has(r.reportId))).toBe(true);
        expect(rows.length).toBe(BEFORE + caught);
        // ... and each of them whole: its consent entries, derived rows and audit entry came with it.
        const submittedEntries = await services.db
          .selectFrom('audit_entries')
          .select('target_id')
          .where('action', '=', 'report.submitted')
          .execute();
        expect(new Set(submittedEntries.map((e) => e.target_id))).toEqual(ids);
        const tagged = await services.db.selectFrom('report_tags').select('report_id').distinct().execute();
        expect(tagged.length).toBe(ids.size);
        const restoredEntry = await services.db
          .selectFrom('audit_entries')
          .select(['actor_kind', 'detail'])
          .where('action', '=', 'database.restored')
          .execute();
        expect(restoredEntry).toEqual([
          {
            actor_kind: 'cli',
            detail: JSON.stringify({ format, bytes: bytes.length, migrations: 0, replaced: false }),
          },
        ]);
        const reporterView = await services.reports.reporterView(before[0]!.reportId);
        expect(reporterView.reference).toBe(before[0]!.reference);

        if (kind === 'postgres') {
          // A server still connected to it: even --force stops before anything changes.
          const inUse = await liaisonHere(env, 'restore', '--from', file, '--force');
          expect(inUse.code).toBe(1);
          expect(inUse.stderr).toMatch(/other connections? (is|are) open to the database: stop every server/);
        }
      } finally {
        await services.close();
      }
      expect((await liaisonHere(env, 'audit', 'verify')).code).toBe(0);

      // Restored once, the database holds data: a second restore is refused unless forced.
      const again = await liaisonHere(env, 'restore', '--from', file);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('is not empty: ');
      expect(again.stderr).toContain(
        'Nothing was changed. Restore into an empty data directory or database, or add --force',
      );
      const forced = await liaisonHere(env, 'restore', '--from', file, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/replacing what it held \(.*audit_entries.*reports.*\)\./);
      expect((await liaisonHere(env, 'audit', 'verify')).code).toBe(0);
    } finally {
      await target.drop();
    }
  }, 240_000);

  it('exits 1 when the restored audit trail does not verify, or the master key does not open it', async () => {
    const db = h.database.db;
    const entry = await db
      .selectFrom('audit_entries')
      .select(['seq', 'detail'])
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    const file = path.join(backups, `tampered.${format}`);
    await db.updateTable('audit_entries').set({ detail: '{"edited":true}' }).where('seq', '=', entry.seq).execute();
    try {
      expect((await h.inProcess('backup', '--out', file)).code).toBe(0);
    } finally {
      await db.updateTable('audit_entries').set({ detail: entry.detail }).where('seq', '=', entry.seq).execute();
    }
    const target = await createScratchDatabase(kind);
    const env: Record<string, string> = {
      ...h.env,
      DATA_DIR: target.dataDir,
      LIAISON_MASTER_KEY: masterKey(),
      ...(target.target.dialect === 'postgres' ? { DATABASE_URL: target.target.url } : {}),
    };
    try {
      const broken = await liaisonHere(env, 'restore', '--from', file);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`Audit trail BROKEN at entry ${entry.seq}: `);
      expect(broken.stdout).not.toContain('Restore complete');
      expect(broken.stderr).toContain('The data is in place, but its audit trail does not verify');
      if (kind === 'postgres') {
        // The dump cannot be opened before it is restored: the key is found wrong afterwards, and said so.
        const wrongKey = await liaisonHere(
          { ...env, LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') },
          'restore',
          '--from',
          path.join(backups, `drill.${format}`),
          '--force',
        );
        expect(wrongKey.code).toBe(1);
        expect(wrongKey.stderr).toContain('The backup is in place, but the service could not open it');
        expect(wrongKey.stderr).toContain('The master key does not match this database');
      }
    } finally {
      await target.drop();
      fs.rmSync(file);
    }
  });

  it.runIf(kind === 'sqlite')('replaces a damaged database only when forced', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-damaged-'));
    const env = { ...h.env, DATA_DIR: dataDir, LIAISON_MASTER_KEY: masterKey() };
    const damaged = path.join(dataDir, 'liaison.sqlite');
    try {
      fs.writeFileSync(damaged, 'x'.repeat(4096));
      const refused = await liaisonHere(env, 'restore', '--from', path.join(backups, 'drill.sqlite'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`The database ${damaged} cannot be read (`);
      expect(refused.stderr).toContain('Nothing was changed. Add --force to replace it with the backup.');
      expect(fs.readFileSync(damaged, 'utf8')).toBe('x'.repeat(4096));
      const forced = await liaisonHere(env, 'restore', '--from', path.join(backups, 'drill.sqlite'), '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain('replacing what it held ((unreadable database)).');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses, changing nothing, what cannot be backed up or restored', async () => {
    expect((await h.inProcess('backup')).code).toBe(2);
    const noFolder = await h.inProcess('backup', '--out', path.join(backups, 'missing', `x.${format}`));
    expect(noFolder).toMatchObject({ code: 1, stderr: expect.stringContaining('does not exist') });
    expect(fs.existsSync(path.join(backups, 'missing'))).toBe(false);

    const missing = await h.inProcess('restore', '--from', path.join(backups, 'nothing-here'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no backup file at') });
    const notABackup = path.join(backups, 'notes.txt');
    fs.writeFileSync(notABackup, 'not a database at all');
    const wrong = await h.inProcess('restore', '--from', notABackup);
    expect(wrong.stderr).toContain('is neither a SQLite backup nor a PostgreSQL custom-format dump');
    const before = await h.snapshot();
    const busy = await h.inProcess('restore', '--from', path.join(backups, `drill.${format}`));
    expect(busy.code).toBe(1);
    expect(await h.snapshot()).toBe(before);

    if (kind === 'sqlite') {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-empty-'));
      try {
        const nothing = await liaisonHere({ ...h.env, DATA_DIR: empty }, 'backup', '--out', path.join(backups, 'x'));
        expect(nothing).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no database at') });
        expect(fs.readdirSync(empty)).toEqual([]);
        const itself = await h.inProcess('backup', '--out', path.join(h.scratch.dataDir, 'liaison.sqlite'));
        expect(itself.code).toBe(2);
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    } else {
      // pg_dump older than the server: refused before it connects, naming both versions.
      const { rows } = await sql<{ server_version_num: string }>`show server_version_num`.execute(h.database.db);
      const server = Math.floor(Number(rows[0]!.server_version_num) / 10_000);
      const old = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-old-tools-'));
      try {
        fs.writeFileSync(path.join(old, 'pg_dump'), `#!/bin/sh\necho "pg_dump (PostgreSQL) ${server - 1}.9"\n`, {
          mode: 0o755,
        });
        const refused = await liaisonHere(
          { ...h.env, PG_BIN_DIR: old },
          'backup',
          '--out',
          path.join(backups, 'old.pgdump'),
        );
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(
          `pg_dump is version ${server - 1}, older than the PostgreSQL server (version ${server})`,
        );
        expect(refused.stderr).not.toContain(h.env.DATABASE_URL);
      } finally {
        fs.rmSync(old, { recursive: true, force: true });
      }
    }
    expect(fs.readdirSync(backups).sort()).toEqual([`drill.${format}`, 'notes.txt']);
  });
});
