import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/features/audit/auditTrail.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

describe.each(testDatabases)('audit chain tamper evidence on %s', (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;
  let trail: AuditTrail;

  beforeEach(async () => {
    scratch = await createScratchDatabase(kind);
    database = openDatabase(scratch.target);
    await migrateToLatest(database.db);
    trail = new AuditTrail(database.db, crypto.randomBytes(32));
    for (let i = 1; i <= 5; i += 1)
      await trail.record({ actorKind: 'system', action: 'test.event', targetId: `t${i}`, detail: { i } });
  });
  afterEach(async () => {
    await database.close();
    await scratch.drop();
  });

  const entries = () => database.db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();

  it('verifies an untouched chain', async () => {
    expect(await trail.verify()).toEqual({ ok: true, checked: 5 });
    expect(await trail.verify(2)).toEqual({ ok: true, checked: 5 });
  });

  it('names an altered entry', async () => {
    await database.db.updateTable('audit_entries').set({ target_id: 'someone-else' }).where('seq', '=', 3).execute();
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 3, checked: 2 });
  });

  it('names a removed entry in the middle', async () => {
    await database.db.deleteFrom('audit_entries').where('seq', '=', 2).execute();
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'entry 2 is missing' });
  });

  it('notices entries removed from the end', async () => {
    await database.db.deleteFrom('audit_entries').where('seq', '>=', 4).execute();
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('names reordered entries', async () => {
    const [, second, third] = await entries();
    const swap = (row: typeof second, into: number) =>
      database.db
        .updateTable('audit_entries')
        .set({
          at: row!.at,
          action: row!.action,
          target_id: row!.target_id,
          detail: row!.detail,
          prev_hash: row!.prev_hash,
          hash: row!.hash,
        })
        .where('seq', '=', into)
        .execute();
    await swap(third, 2);
    await swap(second, 3);
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('cannot be re-forged without the key', async () => {
    const forger = new AuditTrail(database.db, crypto.randomBytes(32));
    await forger.record({ actorKind: 'system', action: 'test.forged' });
    expect(await trail.verify()).toMatchObject({ ok: false, firstBadSeq: 6 });
  });
});
