import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('liaison setup-link on %s', (kind) => {
  let h: LiaisonHarness;
  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
  });
  afterAll(async () => h.close());

  it('issues a fresh link that works, and the earlier one stops working', async () => {
    const first = await h.inProcess('setup-link');
    expect(first.code).toBe(0);
    const firstPath = new URL(h.lastLine(first.stdout)).pathname;
    const second = await h.inProcess('setup-link');
    const secondPath = new URL(h.lastLine(second.stdout)).pathname;
    expect(secondPath).not.toBe(firstPath);
    await h.withApp(async (app) => {
      expect((await app.inject(firstPath)).statusCode).toBe(410);
      expect((await app.inject(secondPath)).statusCode).toBe(200);
    });
  });

  it('refuses arguments and says so when an administrator exists', async () => {
    expect((await h.inProcess('setup-link', '--force')).code).toBe(2);
    await h.withApp(async (_app, services) => {
      const org = await services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
      const userId = await services.db.transaction().execute((trx) =>
        services.accounts.createUser(trx, {
          orgId: org.id,
          role: 'admin',
          email: 'admin@example.org',
          password: 'violet tram umbrella 48',
        }),
      );
      // An administrator counts once two-factor sign-in is set up.
      await services.db
        .updateTable('users')
        .set({ totp_enrolled_at: new Date().toISOString() })
        .where('id', '=', userId)
        .execute();
    });
    const refused = await h.inProcess('setup-link');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('An administrator already exists');
    expect(refused.stdout).not.toContain('/setup/');
  });
});
