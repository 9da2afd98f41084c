import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../src/platform/crypto/fieldCipher.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrator.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

describe.each(testDatabases)('field encryption on %s', (kind) => {
  let scratch: ScratchDatabase;
  let database: Database;
  const masterKey = crypto.randomBytes(32);

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    database = openDatabase(scratch.target);
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
    await scratch.drop();
  });

  it('round-trips text and never stores the plaintext', async () => {
    const cipher = new FieldCipher(database.db, masterKey);
    await cipher.load();
    const ciphertext = cipher.encrypt('Ruby, 07700 900123', 'people.name');
    expect(ciphertext).not.toContain('Ruby');
    expect(ciphertext.startsWith(`v1.${cipher.activeKeyId}.`)).toBe(true);
    expect(await cipher.decrypt(ciphertext, 'people.name')).toBe('Ruby, 07700 900123');
    // Same text, different ciphertext each time (random IV).
    expect(cipher.encrypt('Ruby', 'people.name')).not.toBe(cipher.encrypt('Ruby', 'people.name'));
  });

  it('refuses a ciphertext moved to another column or tampered with', async () => {
    const cipher = new FieldCipher(database.db, masterKey);
    await cipher.load();
    const ciphertext = cipher.encrypt('secret', 'reports.account');
    await expect(cipher.decrypt(ciphertext, 'feedback.text')).rejects.toThrow();
    const parts = ciphertext.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    await expect(cipher.decrypt(parts.join('.'), 'reports.account')).rejects.toThrow();
  });

  it('keeps old ciphertexts readable after rotation, also from another instance', async () => {
    const cipher = new FieldCipher(database.db, masterKey);
    await cipher.load();
    const before = cipher.encrypt('before rotation', 'x.y');
    const oldKey = cipher.activeKeyId;
    const newKey = await cipher.rotate();
    expect(newKey).not.toBe(oldKey);
    const after = cipher.encrypt('after rotation', 'x.y');
    expect(FieldCipher.keyIdOf(after)).toBe(newKey);
    const otherInstance = new FieldCipher(database.db, masterKey);
    await otherInstance.load();
    expect(otherInstance.activeKeyId).toBe(newKey);
    expect(await otherInstance.decrypt(before, 'x.y')).toBe('before rotation');
    expect(await otherInstance.decrypt(after, 'x.y')).toBe('after rotation');
  });

  it('fails fast when the master key does not match the database', async () => {
    const wrong = new FieldCipher(database.db, crypto.randomBytes(32));
    await expect(wrong.load()).rejects.toThrow('master key does not match');
  });

  it('gives equal blind indexes for equal values only', async () => {
    const cipher = new FieldCipher(database.db, masterKey);
    await cipher.load();
    expect(cipher.blindIndex('a@example.org', 'users.email')).toBe(cipher.blindIndex('a@example.org', 'users.email'));
    expect(cipher.blindIndex('a@example.org', 'users.email')).not.toBe(
      cipher.blindIndex('b@example.org', 'users.email'),
    );
    expect(cipher.blindIndex('a@example.org', 'users.email')).not.toBe(
      cipher.blindIndex('a@example.org', 'members.email'),
    );
  });
});
