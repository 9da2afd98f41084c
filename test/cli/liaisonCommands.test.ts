import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('the liaison command on %s', (kind) => {
  let h: LiaisonHarness;
  let token = '';
  let link = '';

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    const migrated = await h.spawn('migrate');
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Applied: /) });
    // The derived tables the migrations created are filled from the data before it returns.
    expect(migrated.stdout).toContain('\nFilled from the data: attrition_watch\n');
    expect((await h.inProcess('migrate')).stdout).toBe('Database is up to date.\n');
  });
  afterAll(async () => h.close());

  it('creates organisations and prints just the slug', async () => {
    const support = await h.spawn(
      'org',
      'create',
      '--kind',
      'support',
      '--name',
      'Safe Streets Project',
      '--slug',
      'safe-streets',
    );
    expect(support).toMatchObject({ code: 0, stdout: 'safe-streets\n' });
    // With no LIAISON_MASTER_KEY, the first command that needs keys makes a private key file, and says so.
    if (kind === 'sqlite') {
      expect(support.stderr).toContain('Created a new master key');
      expect(fs.statSync(path.join(h.scratch.dataDir, 'master.key')).mode & 0o777).toBe(0o600);
    } else {
      expect(support.stderr).toBe('');
    }
    expect(
      await h.inProcess('org', 'create', '--kind', 'police', '--name', 'Northshire Police', '--slug', 'northshire'),
    ).toMatchObject({ code: 0, stdout: 'northshire\n', stderr: '' });
    const rows = await h.database.db
      .selectFrom('organisations')
      .select(['slug', 'kind', 'name'])
      .orderBy('slug')
      .execute();
    expect(rows).toEqual([
      { slug: 'northshire', kind: 'police', name: 'Northshire Police' },
      { slug: 'safe-streets', kind: 'support', name: 'Safe Streets Project' },
    ]);
    const audited = await h.database.db
      .selectFrom('audit_entries')
      .select(['actor_kind', 'action'])
      .where('action', '=', 'organisation.created')
      .execute();
    expect(audited).toEqual([
      { actor_kind: 'cli', action: 'organisation.created' },
      { actor_kind: 'cli', action: 'organisation.created' },
    ]);
  });

  it('invites staff with a one-time link, printed last, that opens the invitation page', async () => {
    const res = await h.spawn(
      'user',
      'invite',
      '--org',
      'safe-streets',
      '--role',
      'caseworker',
      '--email',
      'Kerina@Example.org',
    );
    expect(res).toMatchObject({ code: 0, stderr: '' });
    link = h.lastLine(res.stdout);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/invitation\/[A-Za-z0-9_-]{43}$/);
    expect(res.stdout.split(link)).toHaveLength(2);
    expect(res.stdout.toLowerCase()).not.toContain('kerina');
    const stored = JSON.stringify(await h.database.db.selectFrom('invitations').selectAll().execute());
    expect(stored).not.toContain(link.split('/').at(-1));
    expect(stored.toLowerCase()).not.toContain('kerina');
    const page = await h.withApp((app) => app.inject({ url: new URL(link).pathname }));
    expect(page.statusCode).toBe(200);
  });

  it('creates an API token, printed once as the last line, stored only as its SHA-256, that works against the API', async () => {
    const res = await h.spawn(
      'token',
      'create',
      '--org',
      'northshire',
      '--role',
      'supervisor',
      '--name',
      'Records system',
    );
    expect(res).toMatchObject({ code: 0, stderr: '' });
    token = h.lastLine(res.stdout);
    expect(token).toMatch(/^lia_[A-Za-z0-9_-]{43}$/);
    expect(res.stdout.split(token)).toHaveLength(2);

    const rows = await h.database.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      role: 'supervisor',
      name: 'Records system',
      token_hash: crypto.createHash('sha256').update(token).digest('hex'),
      revoked_at: null,
    });
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    const audit = await h.database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'api-token.created')
      .execute();
    expect(audit).toMatchObject([{ actor_kind: 'cli', target_id: rows[0]!.id, detail: '{"role":"supervisor"}' }]);

    const me = await h.withApp((app) =>
      app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      organisation: { slug: 'northshire', kind: 'police' },
      role: 'supervisor',
      tokenName: 'Records system',
    });
  });

  it('lists tokens without the tokens, and revokes one so that it stops working at once', async () => {
    const { id } = await h.database.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow();
    const listed = await h.inProcess('token', 'list', '--org', 'northshire');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}\\tsupervisor\\t\\S+\\tactive, last used \\S+\\tRecords system\\n$`),
    );
    expect(listed.stdout).not.toContain(token.slice(4));

    expect(await h.inProcess('token', 'revoke', '--id', id)).toMatchObject({
      code: 0,
      stdout: `Revoked API token ${id}.\n`,
    });
    expect((await h.inProcess('token', 'list', '--org', 'northshire')).stdout).toContain('\trevoked ');
    const me = await h.withApp((app) =>
      app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(me.statusCode).toBe(401);
    expect(
      await h.database.db
        .selectFrom('audit_entries')
        .select('actor_kind')
        .where('action', '=', 'api-token.revoked')
        .execute(),
    ).toEqual([{ actor_kind: 'cli' }]);
  });

  it('prints usage for help and --help, anywhere, with exit code 0', async () => {
    for (const args of [['help'], ['--help'], ['org', 'create', '--help'], ['token', 'create', '-h']]) {
      const res = await h.inProcess(...args);
      expect(res).toMatchObject({ code: 0, stderr: '' });
      expect(res.stdout).toContain('Usage: liaison <command>');
      for (const command of [
        'serve',
        'migrate',
        'org create',
        'user invite',
        'token create',
        'audit verify',
        'keys rotate',
        'derived rebuild',
      ])
        expect(res.stdout).toContain(command);
    }
    expect(await h.spawn('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: liaison') });
  });

  it('refuses bad arguments from the real process with usage on stderr and exit code 2, changing nothing', async () => {
    const before = await h.snapshot();
    // The full table of refusals runs in-process (liaisonBadArguments.test.ts); this proves the real exit code.
    const res = await h.spawn('org', 'create', '--kind', 'support', '--name', 'X');
    expect(res).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('liaison org create: Missing --slug'),
    });
    expect(res.stderr).toContain('Usage: liaison');
    expect(await h.snapshot()).toBe(before);
  });

  it('never printed a secret it was not meant to print', async () => {
    const all = h.printed.join('\n');
    const masterKey =
      h.env.LIAISON_MASTER_KEY ?? fs.readFileSync(path.join(h.scratch.dataDir, 'master.key'), 'utf8').trim();
    expect(all).not.toContain(masterKey);
    const secrets = await h.database.db.selectFrom('api_tokens').select('token_hash').execute();
    for (const { token_hash } of secrets) expect(all).not.toContain(token_hash);
    // The token and the link each went out exactly once, when they were made.
    expect(all.split(token)).toHaveLength(2);
    expect(all.split(link)).toHaveLength(2);
    if (h.env.DATABASE_URL) expect(all).not.toContain(h.env.DATABASE_URL);
  });
});
