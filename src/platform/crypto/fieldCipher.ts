import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { dataKeyRepository as repo } from './dataKeyRepository.ts';
import { deriveKey } from './masterKey.ts';
import { hmac } from './secrets.ts';

const FORMAT = 'v1';

interface DataKey {
  id: string;
  key: Buffer;
}

/**
 * Field-level encryption for sensitive columns: AES-256-GCM with a data key
 * that is itself stored wrapped by the master key. Each ciphertext names its
 * key id, so rotation adds a key and old ciphertexts stay readable. The
 * `context` (e.g. "users.email") is bound as associated data, so a ciphertext
 * copied into another column does not decrypt.
 */
export class FieldCipher {
  private keys = new Map<string, Buffer>();
  private active: DataKey | undefined;
  private readonly wrappingKey: Buffer;
  private readonly blindIndexKey: Buffer;

  constructor(
    private readonly db: Kysely<DB>,
    masterKey: Buffer,
  ) {
    this.wrappingKey = deriveKey(masterKey, 'data-key-wrapping');
    this.blindIndexKey = deriveKey(masterKey, 'blind-index');
  }

  /**
   * Loads every data key, creating the first one on a new database. Several
   * instances may start at once: the database admits one active key (unique
   * index, migration 0027), so only one first key is ever created and the
   * others load it.
   */
  async load(): Promise<void> {
    let rows = await repo.all(this.db);
    if (rows.length === 0) {
      await this.insertFirstKey();
      rows = await repo.all(this.db);
    }
    this.keys = new Map(rows.map((row) => [row.id, this.unwrap(row.id, row.wrapped_key)]));
    const current = rows.filter((row) => row.retired_at === null).at(-1) ?? rows.at(-1);
    if (current) this.active = { id: current.id, key: this.keys.get(current.id)! };
  }

  /** Creates a new data key, makes it the one used for new ciphertexts and returns its id. */
  async rotate(): Promise<string> {
    const { id, key, row } = this.newKey();
    const attempt = () =>
      this.db.transaction().execute(async (trx) => {
        await repo.retireActive(trx, row.created_at);
        await repo.insert(trx, row);
      });
    try {
      await attempt();
    } catch {
      // Another instance rotated at the same moment: its key became active
      // after our retiring statement looked. Once more retires that one too.
      await attempt();
    }
    this.keys.set(id, key);
    this.active = { id, key };
    return id;
  }

  /** The first key, unless another instance has just created one (then nothing is inserted). */
  private async insertFirstKey(): Promise<void> {
    const { row } = this.newKey();
    await repo.insertUnlessPresent(this.db, row);
  }

  private newKey() {
    const key = crypto.randomBytes(32);
    const id = `dk-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
    const row = { id, wrapped_key: this.wrap(id, key), created_at: new Date().toISOString(), retired_at: null };
    return { id, key, row };
  }

  /** The data keys (never their material), newest first. */
  listKeys(): Promise<{ id: string; created_at: string; retired_at: string | null }[]> {
    return repo.list(this.db);
  }

  get activeKeyId(): string {
    return this.requireActive().id;
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.requireActive();
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${id}|${context}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  async decrypt(ciphertext: string, context: string): Promise<string> {
    const [format, id, iv, tag, body] = ciphertext.split('.');
    if (format !== FORMAT || !id || iv === undefined || tag === undefined || body === undefined) {
      throw new Error('Unrecognised ciphertext format');
    }
    // Another instance may have rotated keys since this one loaded them.
    if (!this.keys.has(id)) await this.load();
    const key = this.keys.get(id);
    if (!key) throw new Error(`Unknown data key ${id}`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${id}|${context}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed digest of a normalised value, for equality look-ups on an encrypted column. */
  blindIndex(value: string, context: string): string {
    return hmac(this.blindIndexKey, `${context}|${value}`);
  }

  /** The key id a ciphertext was written with. */
  static keyIdOf(ciphertext: string): string | undefined {
    return ciphertext.split('.')[1];
  }

  private requireActive(): DataKey {
    if (!this.active) throw new Error('FieldCipher.load() has not been called');
    return this.active;
  }

  private wrap(id: string, key: Buffer): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.wrappingKey, iv);
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  private unwrap(id: string, wrapped: string): Buffer {
    const [iv, tag, body] = wrapped.split('.');
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.wrappingKey, Buffer.from(iv ?? '', 'base64url'));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]);
    } catch {
      throw new Error('The master key does not match this database (a data key could not be unwrapped).');
    }
  }
}
