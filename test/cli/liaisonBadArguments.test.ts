import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('liaison refuses bad arguments, changing nothing, on %s', (kind) => {
  let h: LiaisonHarness;
  let tokenId: string;

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    expect(
      (await h.inProcess('org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'))
        .code,
    ).toBe(0);
    expect(
      (await h.inProcess('org', 'create', '--kind', 'police', '--name', 'Northshire Police', '--slug', 'northshire'))
        .code,
    ).toBe(0);
    expect(
      (await h.inProcess('user', 'invite', '--org', 'safe-streets', '--role', 'admin', '--email', 'taken@example.org'))
        .code,
    ).toBe(0);
    expect(
      (await h.inProcess('token', 'create', '--org', 'safe-streets', '--role', 'admin', '--name', 'Old')).code,
    ).toBe(0);
    tokenId = (await h.database.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow()).id;
    expect((await h.inProcess('token', 'revoke', '--id', tokenId)).code).toBe(0);
  });
  afterAll(async () => h.close());

  const org = (...extra: string[]) => [
    'org',
    'create',
    '--kind',
    'support',
    '--name',
    'New Project',
    '--slug',
    'new-project',
    ...extra,
  ];
  const invite = (...extra: string[]) => ['user', 'invite', '--org', 'safe-streets', '--role', 'caseworker', ...extra];
  const token = (...extra: string[]) => ['token', 'create', '--org', 'northshire', ...extra];

  it.each([
    // Commands
    [[], 'liaison: No command given'],
    [['frobnicate'], 'liaison: Unknown command: frobnicate'],
    [['org'], 'Unknown command: org'],
    [['org', 'delete', '--slug', 'safe-streets'], 'Unknown command: org delete'],
    [['audit', 'verify', 'now'], 'liaison audit verify: Unexpected argument: now'],
    [['keys', 'rotate', '--force'], 'liaison keys rotate: Unexpected argument: --force'],
    [['migrate', 'again'], 'Unexpected argument: again'],
    // Flags
    [['org', 'create', '--kind', 'support', '--name', 'X'], 'Missing --slug'],
    [['org', 'create'], 'Missing --kind, --name, --slug'],
    [org('--colour', 'red'), 'Unknown option --colour'],
    [org('extra'), 'Unexpected argument: extra'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug'], 'Option --slug needs a value'],
    [['org', 'create', '--kind', 'support', '--name', '', '--slug', 'x'], 'Missing --name'],
    [org('--slug', 'other'), 'Option --slug is given more than once'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '-s', 'x'], 'Unknown option -s'],
    // Values
    [['org', 'create', '--kind', 'charity', '--name', 'X', '--slug', 'x'], '--kind: Kind must be support or police'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug', 'Bad Slug'], '--slug: Slug must be'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug', '-leading'], 'Option --slug needs a value'],
    [['org', 'create', '--kind', 'support', '--name', 'X', '--slug', 'x'.repeat(41)], '--slug: Slug must be'],
    [
      ['org', 'create', '--kind', 'support', '--name', 'x'.repeat(121), '--slug', 'x'],
      '--name: Name must be 120 characters or fewer',
    ],
    [
      ['org', 'create', '--kind', 'police', '--name', 'Dup', '--slug', 'safe-streets'],
      '--slug: An organisation with slug "safe-streets" already exists',
    ],
    [invite('--email', 'a@example.org', '--role', 'admin'), 'Option --role is given more than once'],
    [
      ['user', 'invite', '--org', 'safe-streets', '--role', 'officer', '--email', 'a@example.org'],
      '--role: Role must be one of: admin, caseworker, liaison, outreach, analyst',
    ],
    [
      ['user', 'invite', '--org', 'northshire', '--role', 'caseworker', '--email', 'a@example.org'],
      '--role: Role must be one of: admin, officer, supervisor, analyst',
    ],
    [
      ['user', 'invite', '--org', 'nowhere', '--role', 'caseworker', '--email', 'a@example.org'],
      '--org: No organisation with slug "nowhere"',
    ],
    [invite('--email', 'not-an-email'), '--email: Enter an email address in the correct format'],
    [invite('--email', 'a@example.org', '--name', 'Ann'), 'Unknown option --name'],
    [invite(), 'Missing --email'],
    [token('--role', 'caseworker', '--name', 'x'), '--role: Role must be one of: admin, officer, supervisor, analyst'],
    [token('--role', 'officer', '--name', 'x'.repeat(81)), '--name: Name must be 80 characters or fewer'],
    [token('--role', 'officer', '--name', 'bell\u0007'), '--name: Name must not contain control characters'],
    [token('--role', 'officer', '--name', '   '), 'Missing --name'],
    [
      ['token', 'create', '--org', 'nowhere', '--role', 'admin', '--name', 'x'],
      '--org: No organisation with slug "nowhere"',
    ],
    [['token', 'list', '--org', 'nowhere'], '--org: No organisation'],
    [['token', 'revoke', '--id', '00000000-0000-4000-8000-000000000000'], '--id: No such active token'],
  ])('%j → exit 2: %s', async (args, message) => {
    const before = await h.snapshot();
    const res = await h.inProcess(...args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('Usage: liaison <command>');
    expect(await h.snapshot()).toBe(before);
  });

  it('refuses to revoke a token twice, changing nothing', async () => {
    const before = await h.snapshot();
    expect(await h.inProcess('token', 'revoke', '--id', tokenId)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('No such active token'),
    });
    expect(await h.snapshot()).toBe(before);
  });

  it('refuses bad configuration with a message naming the variable, exit 2', async () => {
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(0);
    const broken = await (async () => {
      const saved = h.env.PORT;
      h.env.PORT = 'eighty';
      try {
        return await h.inProcess('audit', 'verify');
      } finally {
        if (saved === undefined) delete h.env.PORT;
        else h.env.PORT = saved;
      }
    })();
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('PORT');
  });
});
