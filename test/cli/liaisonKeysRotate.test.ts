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

describe.each(testDatabases)('liaison keys reencrypt and retire on %s', (kind) => {
  let h: LiaisonHarness;

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    expect(
      (await h.inProcess('org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'))
        .code,
    ).toBe(0);
    for (const email of ['one@example.org', 'two@example.org'])
      expect(
        (await h.inProcess('user', 'invite', '--org', 'safe-streets', '--role', 'caseworker', '--email', email)).code,
      ).toBe(0);
  });
  afterAll(async () => h.close());

  /** As if the key was replaced three minutes ago, when every running server has surely moved off it. */
  const replacedLongAgo = (keyId: string) =>
    h.database.db
      .updateTable('data_keys')
      .set({ retired_at: new Date(Date.now() - 3 * 60_000).toISOString() })
      .where('id', '=', keyId)
      .execute();

  it('refuses to retire a key while values use it, saying where; rewraps them; then retires it', async () => {
    const oldKey = h.lastLine((await h.inProcess('keys', 'rotate')).stdout);
    const keyInUse = h.lastLine((await h.inProcess('keys', 'rotate')).stdout);
    const [original] = await h.database.db
      .selectFrom('data_keys')
      .select('id')
      .where('id', 'not in', [oldKey, keyInUse])
      .execute();

    const tooSoon = await h.inProcess('keys', 'retire', oldKey);
    expect(tooSoon.code).toBe(1);
    expect(tooSoon.stderr).toMatch(/running servers may still write with it for a short while\. Try again after/);
    await replacedLongAgo(original!.id);
    const inUse = await h.inProcess('keys', 'retire', original!.id);
    expect(inUse).toMatchObject({ code: 1, stdout: '' });
    expect(inUse.stderr).toContain(
      `liaison keys retire: Data key ${original!.id} still encrypts 2 values (invitations: 2). Run liaison keys reencrypt first.`,
    );
    expect((await h.inProcess('keys', 'retire', keyInUse)).stderr).toContain('protects new data');

    const rewrapped = await h.spawn('keys', 'reencrypt', '--batch-size', '1');
    expect(rewrapped).toMatchObject({ code: 0, stderr: '' });
    expect(rewrapped.stdout).toContain('table\trows rewrapped\trows left\tunreadable values\ninvitations\t2\t0\t0\n');
    expect(h.lastLine(rewrapped.stdout)).toBe(`Rewrapped 2 rows with ${keyInUse}; 0 left with older keys.`);
    const invitations = await h.database.db.selectFrom('invitations').select('email_enc').execute();
    expect(invitations.map((i) => FieldCipher.keyIdOf(i.email_enc))).toEqual([keyInUse, keyInUse]);

    const retired = await h.inProcess('keys', 'retire', original!.id);
    expect(retired).toMatchObject({ code: 0, stderr: '' });
    expect(retired.stdout).toContain(`Data key ${original!.id} is retired`);
    expect((await h.inProcess('keys', 'retire', original!.id)).stdout).toContain('was already retired');
    const row = await h.database.db
      .selectFrom('data_keys')
      .selectAll()
      .where('id', '=', original!.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ wrapped_key: '', destroyed_at: expect.any(String) });
    // A server started now reads everything, with the retired key gone.
    await h.withApp(async (_app, services) => {
      const emails = await Promise.all(
        invitations.map((i) => services.cipher.decrypt(i.email_enc, 'invitations.email')),
      );
      expect(emails.sort()).toEqual(['one@example.org', 'two@example.org']);
    });
    expect((await h.inProcess('audit', 'verify')).code).toBe(0);
  });

  it('rotates and re-encrypts in one go, queueing a job for what servers write before they switch', async () => {
    const res = await h.spawn('keys', 'rotate', '--reencrypt');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const keyId = h.lastLine(res.stdout);
    expect(res.stdout).toContain('invitations\t2\t0\t0\n');
    expect(res.stdout).toContain(`Rewrapped 2 rows with ${keyId}; 0 left with older keys.`);
    expect(res.stdout).toContain('A keys.reencrypt job will run again in two minutes');
    const job = await h.database.db
      .selectFrom('jobs')
      .select(['type', 'payload', 'run_at', 'dedupe_key'])
      .where('type', '=', 'keys.reencrypt')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ payload: '{}', dedupe_key: `keys.reencrypt:${keyId}` });
    expect(Date.parse(job.run_at) - Date.now()).toBeGreaterThan(60_000);
  });

  it('refuses bad arguments, changing nothing', async () => {
    const before = await h.snapshot();
    for (const args of [
      ['keys', 'retire'],
      ['keys', 'retire', 'not a key'],
      ['keys', 'retire', 'dk-a', 'dk-b'],
      ['keys', 'reencrypt', '--batch-size', '0'],
      ['keys', 'reencrypt', '--batch-size', 'lots'],
      ['keys', 'reencrypt', 'now'],
      ['keys', 'rotate', '--force'],
    ])
      expect((await h.inProcess(...args)).code, args.join(' ')).toBe(2);
    expect(await h.snapshot()).toBe(before);
  });
});
