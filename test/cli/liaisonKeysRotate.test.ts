import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../src/platform/crypto/fieldCipher.ts';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('liaison keys rotate on %s', (kind) => {
  let h: LiaisonHarness;

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    expect(
      (await h.inProcess('org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'))
        .code,
    ).toBe(0);
  });
  afterAll(async () => h.close());

  it('starts a new key for new data, keeps old data readable by key id (also from fresh instances), and is audited', async () => {
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
          'before@example.org',
        )
      ).code,
    ).toBe(0);
    const [oldKey] = await h.database.db.selectFrom('data_keys').selectAll().execute();
    const before = await h.database.db.selectFrom('invitations').select('email_enc').executeTakeFirstOrThrow();
    expect(FieldCipher.keyIdOf(before.email_enc)).toBe(oldKey!.id);

    const res = await h.spawn('keys', 'rotate');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const newKeyId = h.lastLine(res.stdout);
    expect(res.stdout).toContain(`data written with ${oldKey!.id} and earlier keys stays readable`);

    const keys = await h.database.db.selectFrom('data_keys').select(['id', 'retired_at']).execute();
    expect(keys).toHaveLength(2);
    expect(keys.find((k) => k.id === newKeyId)).toEqual({ id: newKeyId, retired_at: null });
    expect(keys.find((k) => k.id === oldKey!.id)?.retired_at).toEqual(expect.any(String));
    const audit = await h.database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'keys.rotated')
      .execute();
    expect(audit).toMatchObject([
      {
        actor_kind: 'cli',
        target_kind: 'data-key',
        target_id: newKeyId,
        detail: JSON.stringify({ previous: oldKey!.id }),
      },
    ]);

    // New data goes out under the new key; a separate instance reads old and new alike.
    expect(
      (
        await h.inProcess(
          'user',
          'invite',
          '--org',
          'safe-streets',
          '--role',
          'outreach',
          '--email',
          'after@example.org',
        )
      ).code,
    ).toBe(0);
    const rows = await h.database.db
      .selectFrom('invitations')
      .select(['email_enc', 'role'])
      .orderBy('created_at')
      .execute();
    const after = rows.find((r) => r.role === 'outreach')!;
    expect(FieldCipher.keyIdOf(after.email_enc)).toBe(newKeyId);
    await h.withApp(async (_app, services) => {
      expect(services.cipher.activeKeyId).toBe(newKeyId);
      expect(await services.cipher.decrypt(before.email_enc, 'invitations.email')).toBe('before@example.org');
      expect(await services.cipher.decrypt(after.email_enc, 'invitations.email')).toBe('after@example.org');
      expect(FieldCipher.keyIdOf(services.cipher.encrypt('x', 'test.field'))).toBe(newKeyId);
    });
    expect((await h.inProcess('audit', 'verify')).code).toBe(0);
  });

  it('rotates again: every earlier key stays readable', async () => {
    const first = h.lastLine((await h.inProcess('keys', 'rotate')).stdout);
    const second = h.lastLine((await h.inProcess('keys', 'rotate')).stdout);
    expect(second).not.toBe(first);
    const invitations = await h.database.db.selectFrom('invitations').select('email_enc').execute();
    await h.withApp(async (_app, services) => {
      expect(services.cipher.activeKeyId).toBe(second);
      const emails = await Promise.all(
        invitations.map((i) => services.cipher.decrypt(i.email_enc, 'invitations.email')),
      );
      expect(emails.sort()).toEqual(['after@example.org', 'before@example.org']);
    });
    expect(
      (await h.database.db.selectFrom('data_keys').select('id').where('retired_at', 'is', null).execute()).map(
        (k) => k.id,
      ),
    ).toEqual([second]);
  });
});
