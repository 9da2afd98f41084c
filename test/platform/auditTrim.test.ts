import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditTrail, auditStartMac } from '../../src/features/audit/auditTrail.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

const YEAR_MS = 365 * 86_400_000;

/**
 * The retention schedule removes the oldest audit entries: only from the start
 * of the chain, with the new start keyed like the head, so verification still
 * passes and nobody without the chain key can remove more or move the start.
 */
describe.each(testDatabases)('trimming the start of the audit chain on %s', (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;
  let trail: AuditTrail;
  let clock = Date.parse('2020-01-01T00:00:00Z');
  const key = crypto.randomBytes(32);

  beforeEach(async () => {
    scratch = await createScratchDatabase(kind);
    database = openDatabase(scratch.target);
    await migrateToLatest(database.db);
    clock = Date.parse('2020-01-01T00:00:00Z');
    trail = new AuditTrail(database.db, key, () => new Date(clock));
    // Four entries eight years ago, then three a year ago.
    for (let i = 1; i <= 4; i += 1) await trail.record({ actorKind: 'system', action: 'test.old', detail: { i } });
    clock += 7 * YEAR_MS;
    for (let i = 1; i <= 3; i += 1) await trail.record({ actorKind: 'system', action: 'test.recent', detail: { i } });
    clock += YEAR_MS;
  });
  afterEach(async () => {
    await database.close();
    await scratch.drop();
  });

  const seqs = async () =>
    (await database.db.selectFrom('audit_entries').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
  const sevenYearsAgo = () => new Date(clock - 7 * YEAR_MS);

  it('removes only the entries older than the period, from the start, and still verifies', async () => {
    const checkpointAtFour = (
      await database.db.selectFrom('audit_entries').select('hash').where('seq', '=', 4).executeTakeFirstOrThrow()
    ).hash;
    expect(await trail.trimBefore(sevenYearsAgo(), 3)).toBe(4);
    // The entry saying so is the eighth.
    expect(await seqs()).toEqual([5, 6, 7, 8]);
    const said = await database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '=', 8)
      .executeTakeFirstOrThrow();
    expect(said.action).toBe('audit.trimmed');
    expect(JSON.parse(said.detail)).toMatchObject({ removed: 4, throughSeq: 4 });
    expect(await trail.verify()).toEqual({ ok: true, checked: 4 });
    expect(await trail.verify(1)).toEqual({ ok: true, checked: 4 });
    // A checkpoint at the new start still checks; one older than it cannot, and says so.
    expect(await trail.verify(1000, { seq: 4, hash: checkpointAtFour })).toEqual({ ok: true, checked: 4 });
    const older = await trail.verify(1000, { seq: 2, hash: 'a'.repeat(64) });
    expect(older).toMatchObject({ ok: false, firstBadSeq: 2 });
    expect(older.ok === false && older.reason).toContain('removed under the retention schedule');
    // Nothing more is old enough: a second run removes nothing and writes nothing.
    expect(await trail.trimBefore(sevenYearsAgo())).toBe(0);
    expect(await seqs()).toEqual([5, 6, 7, 8]);
    // Appending carries on from the head.
    await trail.record({ actorKind: 'system', action: 'test.after' });
    expect(await trail.verify()).toEqual({ ok: true, checked: 5 });
  });

  it('notices more entries removed after the start, or the start moved without the key', async () => {
    await trail.trimBefore(sevenYearsAgo());
    const head = await database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const entryFive = await database.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '=', 5)
      .executeTakeFirstOrThrow();

    await database.db.deleteFrom('audit_entries').where('seq', '=', 5).execute();
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'entry 5 is missing' });

    // Moving the start past the gap without the key is noticed…
    const five = { seq: 5, hash: 'b'.repeat(64) };
    await database.db
      .updateTable('audit_head')
      .set({ trimmed_seq: five.seq, trimmed_hash: five.hash, trimmed_mac: head.trimmed_mac })
      .execute();
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 6 });
    expect(((await trail.verify()) as { reason: string }).reason).toContain(
      'start of the trail was moved without the key',
    );

    // …and so is an entry put back below the start.
    await database.db.updateTable('audit_head').set(head).execute();
    await database.db.insertInto('audit_entries').values(entryFive).execute();
    expect(await trail.verify()).toMatchObject({ ok: true });
    const removed = {
      seq: 3,
      at: new Date(0).toISOString(),
      actor_kind: 'system',
      actor_id: null,
      org_id: null,
      action: 'x',
      target_kind: null,
      target_id: null,
      detail: '{}',
      prev_hash: 'x',
      hash: 'y',
    };
    await database.db.insertInto('audit_entries').values(removed).execute();
    expect(await trail.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'entry 3 is not part of the chain',
    });
  });

  it('keys the start with the chain key only', async () => {
    await trail.trimBefore(sevenYearsAgo());
    const head = await database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(head.trimmed_seq).toBe(4);
    expect(head.trimmed_mac).toBe(auditStartMac(key, 4, head.trimmed_hash!));
    const stranger = new AuditTrail(database.db, crypto.randomBytes(32), () => new Date(clock));
    expect(await stranger.verify()).toMatchObject({ ok: false });
  });
});
