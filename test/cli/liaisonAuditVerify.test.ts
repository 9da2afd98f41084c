import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../src/platform/db/schema.ts';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

type Row = DB['audit_entries'];

// Each case tampers with the trail as someone with database access might,
// runs the real command, then puts the rows back as they were.
describe.each(testDatabases)('liaison audit verify on %s', (kind) => {
  let h: LiaisonHarness;
  let original: Row[];

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    for (const slug of ['one', 'two', 'three']) expect((await h.inProcess('org', 'create', '--kind', 'support', '--name', slug, '--slug', slug)).code).toBe(0);
    expect((await h.inProcess('token', 'create', '--org', 'one', '--role', 'admin', '--name', 'n')).code).toBe(0);
    original = await entries();
    expect(original.length).toBe(4);
  });
  afterAll(async () => h.close());

  function entries(): Promise<Row[]> {
    return h.database.db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();
  }

  async function restore(): Promise<void> {
    await h.database.db.deleteFrom('audit_entries').execute();
    await h.database.db.insertInto('audit_entries').values(original).execute();
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
    await h.database.db.updateTable('audit_entries').set({ detail: '{"role":"caseworker"}' }).where('seq', '=', 4).execute();
    const res = await h.spawn('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('Audit trail BROKEN at entry 4: entry 4 does not match the chain (altered or moved). The 3 entries before it are intact.\n');
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
    expect(res.stdout).toContain(`BROKEN at entry ${original.length}: entries after ${original.length - 1} were removed`);
  });

  it('exits 1 naming the first of two entries whose contents were swapped', async () => {
    const [, second, third] = original;
    const contents = (row: Row) => ({ at: row.at, actor_kind: row.actor_kind, actor_id: row.actor_id, org_id: row.org_id, action: row.action, target_kind: row.target_kind, target_id: row.target_id, detail: row.detail, prev_hash: row.prev_hash, hash: row.hash });
    await h.database.db.updateTable('audit_entries').set(contents(third!)).where('seq', '=', 2).execute();
    await h.database.db.updateTable('audit_entries').set(contents(second!)).where('seq', '=', 3).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
  });

  it('exits 1 when entries were renumbered to close a gap', async () => {
    await h.database.db.deleteFrom('audit_entries').where('seq', '=', 2).execute();
    await h.database.db.updateTable('audit_entries').set((eb) => ({ seq: eb('seq', '-', 1) })).where('seq', '>', 2).execute();
    const res = await h.inProcess('audit', 'verify');
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('BROKEN at entry 2');
  });

  it('is intact again once the rows are restored', async () => {
    expect((await h.inProcess('audit', 'verify')).code).toBe(0);
  });
});
