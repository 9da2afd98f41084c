import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/features/audit/auditTrail.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

describe.each(testDatabases)('audit chain under concurrent writers on %s', (kind) => {
  let scratch: ScratchDatabase;
  const instances: Database[] = [];
  const key = crypto.randomBytes(32);

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    // On PostgreSQL two pools stand in for two app instances. SQLite is served
    // by one process with one connection, so there both writers share it.
    const first = openDatabase(scratch.target);
    instances.push(first, kind === 'postgres' ? openDatabase(scratch.target) : first);
    await migrateToLatest(instances[0]!.db);
  });
  afterAll(async () => {
    for (const instance of new Set(instances)) await instance.close();
    await scratch.drop();
  });

  it('keeps one unbroken chain when two instances append at once', async () => {
    const trails = instances.map((instance) => new AuditTrail(instance.db, key));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        trails[i % 2]!.record({ actorKind: 'system', action: 'test.concurrent', detail: { i } }),
      ),
    );
    const result = await trails[0]!.verify();
    expect(result).toEqual({ ok: true, checked: 60 });
  });

  it('rolls the entry back with the action when the transaction fails', async () => {
    const trail = new AuditTrail(instances[0]!.db, key);
    await expect(
      instances[0]!.db.transaction().execute(async (trx) => {
        await trail.record({ actorKind: 'system', action: 'test.rolled-back' }, trx);
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    const rolledBack = await instances[0]!.db
      .selectFrom('audit_entries')
      .select('seq')
      .where('action', '=', 'test.rolled-back')
      .execute();
    expect(rolledBack).toEqual([]);
    expect((await trail.verify()).ok).toBe(true);
  });
});
