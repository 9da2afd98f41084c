import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('liaison partnership add on %s', (kind) => {
  let h: LiaisonHarness;

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
      (await h.inProcess('org', 'create', '--kind', 'police', '--name', 'Southshire Police', '--slug', 'southshire'))
        .code,
    ).toBe(0);
  });
  afterAll(async () => h.close());

  const snapshot = async () =>
    JSON.stringify([
      await h.snapshot(),
      (await h.database.db.selectFrom('partnerships').selectAll().execute()).map((r) => JSON.stringify(r)).sort(),
    ]);

  it('links a support organisation with a police force, audited as the command line', async () => {
    const res = await h.spawn('partnership', 'add', '--support', 'safe-streets', '--police', 'northshire');
    expect(res).toMatchObject({ code: 0, stdout: 'Linked safe-streets with northshire\n' });
    const rows = await h.database.db
      .selectFrom('partnerships')
      .innerJoin('organisations as s', 's.id', 'partnerships.support_org_id')
      .innerJoin('organisations as p', 'p.id', 'partnerships.police_org_id')
      .select(['s.slug as support', 'p.slug as police'])
      .execute();
    expect(rows).toEqual([{ support: 'safe-streets', police: 'northshire' }]);
    const audit = await h.database.db
      .selectFrom('audit_entries')
      .select(['actor_kind', 'action'])
      .where('action', '=', 'partnership.added')
      .execute();
    expect(audit).toEqual([{ actor_kind: 'cli', action: 'partnership.added' }]);
    expect(
      await h.inProcess('partnership', 'add', '--support', 'safe-streets', '--police', 'southshire'),
    ).toMatchObject({ code: 0 });
  });

  it.each([
    [['partnership', 'add'], 'Missing --support, --police'],
    [['partnership', 'add', '--support', 'safe-streets'], 'Missing --police'],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'northshire', '--force', 'x'],
      'Unknown option --force',
    ],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'northshire', 'extra'],
      'Unexpected argument: extra',
    ],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'a', '--police', 'b'],
      'Option --police is given more than once',
    ],
    [['partnership', 'add', '--support', 'Safe Streets', '--police', 'northshire'], '--support: Slug must be'],
    [
      ['partnership', 'add', '--support', 'nowhere', '--police', 'northshire'],
      '--support: No organisation with slug "nowhere"',
    ],
    [
      ['partnership', 'add', '--support', 'northshire', '--police', 'southshire'],
      '--support: "northshire" is not a support organisation',
    ],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'nowhere'],
      '--police: No organisation with slug "nowhere"',
    ],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'safe-streets'],
      '--police: "safe-streets" is not a police force',
    ],
    [
      ['partnership', 'add', '--support', 'safe-streets', '--police', 'northshire'],
      '--police: That force is already linked',
    ],
    [['partnership', 'remove', '--support', 'safe-streets'], 'Unknown command: partnership remove'],
  ])('%j → exit 2: %s', async (args, message) => {
    const before = await snapshot();
    const res = await h.inProcess(...args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain('Usage: liaison <command>');
    expect(res.stderr).toContain('partnership add --support SLUG --police SLUG');
    expect(await snapshot()).toBe(before);
  });
});
