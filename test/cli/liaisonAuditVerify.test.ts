import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditHeadMac } from '../../src/features/audit/auditTrail.ts';
import { deriveKey, loadMasterKey } from '../../src/platform/crypto/index.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

type Row = DB['audit_entries'];

// Each case tampers with the trail as someone with database access might,
// runs the real command, then puts the rows back as they were.
describe.each(testDatabases)('liaison audit verify on %s', (kind) => {
  let h: LiaisonHarness;
  let original: Row[];
  let originalHead: DB['audit_head'];

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    for (const slug of ['one', 'two', 'three'])
      expect((await h.inProcess('org', 'create', '--kind', 'support', '--name', slug, '--slug', slug)).code).toBe(0);
    expect((await h.inProcess('token', 'create', '--org', 'one', '--role', 'admin', '--name', 'n')).code).toBe(0);
    original = await entries();
    expect(original.length).toBe(4);
    originalHead = await h.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  });
  afterAll(async () => h.close());

  function entries(): Promise<Row[]> {
    return h.database.db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();
  }

  async function restore(): Promise<void> {
    await h.database.db.deleteFrom('audit_entries').execute();
    await h.database.db.insertInto('audit_entries').values(original).execute();
    await h.database.db.updateTable('audit_head').set(originalHead).where('id', '=', 1).execute();
  }

  /** Cuts every entry after `keep` and points the head at the last one left, as someone with database access might. */
  async function cutTail(keep: number, headMac: (seq: number, hash: string) => string | null) {
    await h.database.db.deleteFrom('audit_entries').where('seq', '>', keep).execute();
    const last = original[keep - 1]!;
    await h.database.db
      .updateTable('audit_head')
      .set({ seq: keep, hash: last.hash, head_mac: headMac(keep, last.hash) })
      .where('id', '=', 1)
      .execute();
  }

  /** The chain key, as only someone holding the master key could derive it. */
  function chainKey(): Buffer {
    const master = loadMasterKey({
      fromEnv: h.env.LIAISON_MASTER_KEY,
      dataDir: h.env.DATA_DIR!,
      allowKeyFile: kind === 'sqlite',
    });
    return deriveKey(master.key, 'audit-chain');
  }

  beforeEach(async () => {
    await restore();
    expect(JSON.stringify(await entries())).toBe(JSON.stringify(original));
  });

  it('exits 0 with the count when the trail is intact', async () => {
    const res = await h.spawn('audit', 'verify');
    expect(res).toEqual({ code: 0, stdout: `Audit trail intact: ${original.length} entries.\n`, stderr: '' });
  });

  it('exits 1 naming an entry whose field was altered', async () => {
    await h.database.db
      .updateTable('audit_entries')
      .set({ detail: '{"role":"caseworker"}' })
      .where('seq', '=', 4)
      .execute();
    const res = await h.spawn('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(
      'Audit trail BROKEN at entry 4: entry 4 does not match the chain (altered or moved). The 3 entries before it are intact.\n',
    );
  });

  it.each([
    ['actor', { actor_kind: 'system' }],
    ['time', { at: '2020-01-01T00:00:00.000Z' }],
    ['target', { target_id: 'someone-else' }],
    ['action', { action: 'organisation.viewed' }],
  ] as const)('exits 1 when the %s of an entry was changed', async (_field, change) => {
    await h.database.db.updateTable('audit_entries').set(change).where('seq', '=', 2).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
  });

  it('exits 1 naming an entry deleted from the middle', async () => {
    await h.database.db.deleteFrom('audit_entries').where('seq', '=', 2).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2: entry 2 is missing');
  });

  it('exits 1 naming the last entry when it was deleted', async () => {
    await h.database.db.deleteFrom('audit_entries').where('seq', '=', original.length).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      `BROKEN at entry ${original.length}: entries after ${original.length - 1} were removed`,
    );
  });

  it('exits 1 naming the first of two entries whose contents were swapped', async () => {
    const [, second, third] = original;
    const contents = (row: Row) => ({
      at: row.at,
      actor_kind: row.actor_kind,
      actor_id: row.actor_id,
      org_id: row.org_id,
      action: row.action,
      target_kind: row.target_kind,
      target_id: row.target_id,
      detail: row.detail,
      prev_hash: row.prev_hash,
      hash: row.hash,
    });
    await h.database.db.updateTable('audit_entries').set(contents(third!)).where('seq', '=', 2).execute();
    await h.database.db.updateTable('audit_entries').set(contents(second!)).where('seq', '=', 3).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
  });

  it('exits 1 when entries were renumbered to close a gap', async () => {
    await h.database.db.deleteFrom('audit_entries').where('seq', '=', 2).execute();
    await h.database.db
      .updateTable('audit_entries')
      .set((eb) => ({ seq: eb('seq', '-', 1) }))
      .where('seq', '>', 2)
      .execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
  });

  it('exits 1 when the newest entries were cut and the head rewritten to the last one left', async () => {
    for (const mac of [() => originalHead.head_mac, () => null, () => 'f'.repeat(64)]) {
      await restore();
      await cutTail(2, mac);
      const res = await h.inProcess('audit', 'verify');
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(
        /^Audit trail BROKEN at entry 3: the head was rewritten without the key \(entries after 2 may have been removed\)/,
      );
      // Verifying never keys the head it doubts.
      expect((await h.database.db.selectFrom('audit_entries').select('seq').execute()).length).toBe(2);
    }
  });

  it('a server writing after such a cut records it in the chain, so the trail still fails', async () => {
    await cutTail(2, () => null);
    expect((await h.inProcess('org', 'create', '--kind', 'support', '--name', 'four', '--slug', 'four')).code).toBe(0);
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 3: entry 3 records that the head had been rewritten without the key');
    await h.database.db.deleteFrom('organisations').where('slug', '=', 'four').execute();
  });

  it('a trail from before keyed heads is keyed once, when the server next starts, with an entry saying so', async () => {
    await h.database.db.updateTable('audit_head').set({ head_mac: 'unkeyed' }).where('id', '=', 1).execute();
    const before = await h.inProcess('audit', 'verify');
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('the head carries no key yet');
    expect((await h.inProcess('org', 'create', '--kind', 'support', '--name', 'five', '--slug', 'five')).code).toBe(0);
    const keyed = await entries();
    expect(keyed.map((e) => e.action).slice(original.length)).toEqual(['audit.head-keyed', 'organisation.created']);
    const after = await h.inProcess('audit', 'verify');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`Note: the head was first keyed at entry ${original.length + 1}`);
    // Only once: marking it unkeyed again is treated as a rewrite.
    await h.database.db.updateTable('audit_head').set({ head_mac: 'unkeyed' }).where('id', '=', 1).execute();
    expect((await h.inProcess('org', 'create', '--kind', 'support', '--name', 'six', '--slug', 'six')).code).toBe(0);
    expect((await h.inProcess('audit', 'verify')).stdout).toContain(
      'records that the head had been rewritten without the key',
    );
    await h.database.db.deleteFrom('organisations').where('slug', 'in', ['five', 'six']).execute();
  });

  it('a checkpoint kept elsewhere notices a cut below it even when the head is re-keyed consistently', async () => {
    const made = await h.spawn('audit', 'checkpoint');
    expect(made.code).toBe(0);
    const checkpoint = made.stdout.trim().split('\n').at(-1)!;
    expect(checkpoint).toBe(`${original.length}:${original.at(-1)!.hash}`);
    expect((await h.inProcess('audit', 'verify', '--since-checkpoint', checkpoint)).stdout).toBe(
      `Audit trail intact: ${original.length} entries, including checkpoint ${original.length}.\n`,
    );

    const key = chainKey();
    await cutTail(2, (seq, hash) => auditHeadMac(key, seq, hash));
    // With the key, the cut cannot be seen from the database alone...
    expect((await h.inProcess('audit', 'verify')).code).toBe(0);
    // ...but the checkpoint still names an entry that is gone.
    const res = await h.inProcess('audit', 'verify', '--since-checkpoint', checkpoint);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      `BROKEN at entry 3: the checkpoint names entry ${original.length} but the trail ends at 2: entries after 2 were removed`,
    );
  });

  it('a checkpoint notices entries re-forged with the key from below it', async () => {
    const checkpoint = `${original.length}:${original.at(-1)!.hash}`;
    await h.database.db
      .updateTable('audit_entries')
      .set({ hash: 'a'.repeat(64) })
      .where('seq', '=', original.length)
      .execute();
    const res = await h.inProcess('audit', 'verify', '--since-checkpoint', checkpoint);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`BROKEN at entry ${original.length}`);
  });

  it.each([['12'], ['x:abc'], [`4:${'z'.repeat(64)}`]])(
    'refuses a malformed checkpoint %s with exit 2',
    async (given) => {
      const res = await h.inProcess('audit', 'verify', '--since-checkpoint', given);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--since-checkpoint must be SEQ:HASH');
    },
  );

  it('is intact again once the rows are restored', async () => {
    expect((await h.inProcess('audit', 'verify')).code).toBe(0);
  });
});
