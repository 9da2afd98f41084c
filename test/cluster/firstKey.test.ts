import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../src/platform/crypto/fieldCipher.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

describe.each(testDatabases)('data keys with several instances on %s', (kind) => {
  let scratch: ScratchDatabase;
  const pools: Database[] = [];
  const masterKey = crypto.randomBytes(32);

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    // On PostgreSQL each instance has its own pool, as separate servers do.
    // SQLite is served by one process with one connection, so there they share it.
    const first = openDatabase(scratch.target);
    for (let i = 0; i < 6; i++) pools.push(kind === 'postgres' && i > 0 ? openDatabase(scratch.target) : first);
    await migrateToLatest(pools[0]!.db);
  });
  afterAll(async () => {
    for (const pool of new Set(pools)) await pool.close();
    await scratch.drop();
  });

  const activeKeys = async () =>
    (await pools[0]!.db.selectFrom('data_keys').select('id').where('retired_at', 'is', null).execute()).map(
      (row) => row.id,
    );

  it('creates one active key when instances start on a new database at the same moment', async () => {
    const ciphers = pools.map((pool) => new FieldCipher(pool.db, masterKey));
    await Promise.all(ciphers.map((cipher) => cipher.load()));
    const active = await activeKeys();
    expect(active).toHaveLength(1);
    expect(new Set(ciphers.map((cipher) => cipher.activeKeyId))).toEqual(new Set(active));
    // What one instance writes, another reads.
    expect(await ciphers[5]!.decrypt(ciphers[0]!.encrypt('text', 'people.name'), 'people.name')).toBe('text');
  });

  it('keeps one active key when two instances rotate at once', async () => {
    const [a, b] = [new FieldCipher(pools[1]!.db, masterKey), new FieldCipher(pools[2]!.db, masterKey)];
    await Promise.all([a.load(), b.load()]);
    const ids = await Promise.all([a.rotate(), b.rotate()]);
    const active = await activeKeys();
    expect(active).toHaveLength(1);
    expect(ids).toContain(active[0]);
  });

  it('refuses a second active key at the database', async () => {
    await expect(
      pools[0]!.db
        .insertInto('data_keys')
        .values({ id: 'dk-extra', wrapped_key: 'x', created_at: new Date().toISOString(), retired_at: null })
        .execute(),
    ).rejects.toThrow(/unique/i);
  });
});
