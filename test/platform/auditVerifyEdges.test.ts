import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/features/audit/auditTrail.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

describe.each(testDatabases)('audit verification edge cases on %s', (kind) => {
  let scratch: ScratchDatabase;
  let reader: Database;
  let writer: Database;
  const key = crypto.randomBytes(32);

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    reader = openDatabase(scratch.target);
    writer = kind === 'postgres' ? openDatabase(scratch.target) : reader;
    await migrateToLatest(reader.db);
  });
  afterAll(async () => {
    for (const database of new Set([reader, writer])) await database.close();
    await scratch.drop();
  });

  // `liaison audit verify` and GET /api/v1/audit/verify run while the server keeps
  // appending: entries written after the check began must not read as tampering.
  it('reports an intact chain, never a false alarm, when entries are appended during the check', async () => {
    const verifier = new AuditTrail(reader.db, key);
    const appender = new AuditTrail(writer.db, key);
    for (let i = 0; i < 20; i += 1)
      await appender.record({ actorKind: 'system', action: 'test.before', detail: { i } });

    let writing = true;
    const appends = (async () => {
      let i = 0;
      while (writing && i < 400)
        await appender.record({ actorKind: 'system', action: 'test.during', detail: { i: (i += 1) } });
    })();
    const results = [];
    for (let round = 0; round < 15; round += 1) results.push(await verifier.verify(3));
    writing = false;
    await appends;

    for (const result of results) expect(result).toMatchObject({ ok: true });
    const checked = results.map((r) => r.checked);
    expect(checked[0]).toBeGreaterThanOrEqual(20);
    expect(await verifier.verify()).toMatchObject({ ok: true });
  });

  it('names a row slipped in outside the numbering, which the chain walk would never reach', async () => {
    const verifier = new AuditTrail(reader.db, key);
    const copy = await reader.db.selectFrom('audit_entries').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    await reader.db
      .insertInto('audit_entries')
      .values({ ...copy, seq: 0, action: 'test.planted' })
      .execute();
    expect(await verifier.verify()).toMatchObject({ ok: false, firstBadSeq: 0 });
    await reader.db.deleteFrom('audit_entries').where('seq', '=', 0).execute();
    expect(await verifier.verify()).toMatchObject({ ok: true });
  });
});
