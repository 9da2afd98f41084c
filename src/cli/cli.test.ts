import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../platform/db/database.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../../test/support/databases.ts';

const run = promisify(execFile);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'liaison.js');

describe.each(testDatabases)('the liaison command on %s', (kind) => {
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  let database: Database;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: scratch.dataDir,
      LOG_LEVEL: 'silent',
      ...(scratch.target.dialect === 'postgres'
        ? { DATABASE_URL: scratch.target.url, LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') }
        : {}),
    };
    const migrated = await liaison('migrate');
    expect(migrated.code).toBe(0);
    database = openDatabase(scratch.target);
  });
  afterAll(async () => {
    await database.close();
    await scratch.drop();
  });

  async function liaison(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  const count = async (table: 'organisations' | 'invitations' | 'api_tokens' | 'audit_entries') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('creates organisations and prints the slug', async () => {
    const support = await liaison('org', 'create', '--kind', 'support', '--name', 'Safe Streets Project', '--slug', 'safe-streets');
    expect(support).toMatchObject({ code: 0, stdout: 'safe-streets\n' });
    expect((await liaison('org', 'create', '--kind', 'police', '--name', 'Northshire Police', '--slug', 'northshire')).code).toBe(0);
  });

  it('invites staff with a one-time link', async () => {
    const res = await liaison('user', 'invite', '--org', 'safe-streets', '--role', 'caseworker', '--email', 'kerina@example.org');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n').at(-1)).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invitation\/[A-Za-z0-9_-]{43}$/);
  });

  it('creates an API token shown once, as the last line, stored only as a hash', async () => {
    const res = await liaison('token', 'create', '--org', 'northshire', '--role', 'supervisor', '--name', 'Records system');
    expect(res.code).toBe(0);
    const token = res.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^lia_[A-Za-z0-9_-]{43}$/);
    const stored = JSON.stringify(await database.db.selectFrom('api_tokens').selectAll().execute());
    expect(stored).not.toContain(token);
    expect(stored).toContain(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it.each([
    [['frobnicate'], 'Unknown command'],
    [[], 'No command given'],
    [['org', 'create', '--kind', 'charity', '--name', 'X', '--slug', 'x'], '--kind'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug', 'Bad Slug'], '--slug'],
    [['org', 'create', '--kind', 'support', '--name', 'X'], 'Missing --slug'],
    [['org', 'create', '--kind', 'support', '--name', 'Dup', '--slug', 'safe-streets'], 'already exists'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug', 'x', '--colour', 'red'], 'colour'],
    [['user', 'invite', '--org', 'safe-streets', '--role', 'officer', '--email', 'a@example.org'], 'Role must be one of'],
    [['user', 'invite', '--org', 'nowhere', '--role', 'caseworker', '--email', 'a@example.org'], 'No organisation'],
    [['user', 'invite', '--org', 'safe-streets', '--role', 'caseworker', '--email', 'not-an-email'], 'email'],
    [['token', 'create', '--org', 'northshire', '--role', 'caseworker', '--name', 'x'], 'Role must be one of'],
    [['audit', 'verify', 'now'], 'Unexpected argument'],
  ])('refuses %j with usage, exit code 2, changing nothing', async (args, message) => {
    const before = await Promise.all([count('organisations'), count('invitations'), count('api_tokens'), count('audit_entries')]);
    const res = await liaison(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('Usage: liaison');
    const after = await Promise.all([count('organisations'), count('invitations'), count('api_tokens'), count('audit_entries')]);
    expect(after).toEqual(before);
  });

  it('prints help', async () => {
    const res = await liaison('help');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('audit verify');
  });

  it('rotates keys and keeps old data readable, verifying the audit trail before and after tampering', async () => {
    const before = await database.db.selectFrom('data_keys').select('id').execute();
    const rotated = await liaison('keys', 'rotate');
    expect(rotated.code).toBe(0);
    const after = await database.db.selectFrom('data_keys').selectAll().execute();
    expect(after).toHaveLength(before.length + 1);
    // The invitation written with the old key can still be opened through the CLI's services: verify still passes.
    const intact = await liaison('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/Audit trail intact: \d+ entries/);

    const victim = await database.db.selectFrom('audit_entries').select(['seq', 'detail']).orderBy('seq').offset(1).limit(1).executeTakeFirstOrThrow();
    await database.db.updateTable('audit_entries').set({ detail: '{"role":"admin"}' }).where('seq', '=', victim.seq).execute();
    const broken = await liaison('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`entry ${Number(victim.seq)}`);
    await database.db.updateTable('audit_entries').set({ detail: victim.detail }).where('seq', '=', victim.seq).execute();
    expect((await liaison('audit', 'verify')).code).toBe(0);
  });
});
