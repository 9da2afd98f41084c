import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { dataKeyRepository as repo } from './dataKeyRepository.ts';
import { deriveKey } from './masterKey.ts';
import { hmac } from './secrets.ts';

const FORMAT = 'v1';

/**
 * How often a running instance looks for a newer active key (by the service
 * clock): another instance or `liaison keys rotate` may have started one, and
 * new data should be encrypted with it without a restart.
 */
export const ACTIVE_KEY_CHECK_MS = 60_000;

/**
 * After a rotation, how long until every running instance surely encrypts with
 * the new key (a look is due each minute and made within seconds): only then
 * can a pass of re-encryption find everything, and the old key be destroyed.
 */
export const SWITCH_WINDOW_MS = 2 * ACTIVE_KEY_CHECK_MS;

/** A ciphertext names a key that was retired for good: nothing can decrypt it any more. */
export class DestroyedKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`Data key ${keyId} was retired and can no longer decrypt`);
  }
}

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
  private destroyed = new Set<string>();
  private active: DataKey | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private reloading: Promise<void> | undefined;
  private readonly wrappingKey: Buffer;
  private readonly blindIndexKey: Buffer;

  constructor(
    private readonly db: Kysely<DB>,
    masterKey: Buffer,
    private readonly now: () => Date = () => new Date(),
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
    const lookedAt = this.now().getTime();
    let rows = await repo.all(this.db);
    if (rows.length === 0) {
      await this.insertFirstKey();
      rows = await repo.all(this.db);
    }
    // A destroyed key's material is gone: it is remembered only to say so when something names it.
    const usable = rows.filter((row) => row.destroyed_at === null);
    this.keys = new Map(usable.map((row) => [row.id, this.unwrap(row.id, row.wrapped_key)]));
    this.destroyed = new Set(rows.filter((row) => row.destroyed_at !== null).map((row) => row.id));
    const current = usable.filter((row) => row.retired_at === null).at(-1) ?? usable.at(-1);
    if (current) this.active = { id: current.id, key: this.keys.get(current.id)! };
    this.checkedAt = lookedAt;
  }

  /**
   * Reloads the keys when the last look is ACTIVE_KEY_CHECK_MS old or more, so
   * new data moves to a key another instance started, and a key retired
   * elsewhere is forgotten here. Concurrent callers share one reload.
   */
  refreshIfDue(): Promise<void> {
    if (this.now().getTime() - this.checkedAt < ACTIVE_KEY_CHECK_MS) return Promise.resolve();
    this.reloading ??= this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /**
   * Looks every few seconds whether a reload is due, until the returned
   * function is called. A failed look (database briefly away) is tried again
   * at the next tick; the keys already loaded keep working meanwhile.
   */
  watchForNewKeys(): () => void {
    const timer = setInterval(() => {
      this.refreshIfDue().catch(() => {});
    }, ACTIVE_KEY_CHECK_MS / 12);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Creates a new data key, makes it the one used for new ciphertexts and
   * returns its id. `alongside` runs in the rotation's transaction (an audit
   * entry, a job to re-encrypt older data), so it commits with the new key.
   */
  async rotate(alongside?: (trx: Transaction<DB>, keyId: string) => Promise<void>): Promise<string> {
    const { id, key, row } = this.newKey();
    const attempt = () =>
      this.db.transaction().execute(async (trx) => {
        await repo.retireActive(trx, row.created_at);
        await repo.insert(trx, row);
        await alongside?.(trx, id);
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
    const row = { id, wrapped_key: this.wrap(id, key), created_at: this.now().toISOString(), retired_at: null };
    return { id, key, row };
  }

  /** The data keys (never their material), newest first. */
  listKeys(): Promise<{ id: string; created_at: string; retired_at: string | null; destroyed_at: string | null }[]> {
    return repo.list(this.db);
  }

  /**
   * Retires a rotated-out key for good: its material is blanked, so nothing can
   * decrypt with it again. Only a key rotated out at or before `rotatedOutBy`
   * (every running instance has moved off it since); false when it is not one.
   * The caller first makes sure nothing is still encrypted with it.
   */
  async destroy(
    keyId: string,
    rotatedOutBy: Date,
    alongside?: (trx: Transaction<DB>) => Promise<void>,
  ): Promise<boolean> {
    const done = await this.db.transaction().execute(async (trx) => {
      if (!(await repo.destroy(trx, keyId, rotatedOutBy.toISOString(), this.now().toISOString()))) return false;
      await alongside?.(trx);
      return true;
    });
    if (done) {
      this.keys.delete(keyId);
      this.destroyed.add(keyId);
    }
    return done;
  }

  get activeKeyId(): string {
    return this.requireActive().id;
  }

  encrypt(plaintext: string, context: string): string {
    return this.encryptWith(this.requireActive(), plaintext, context);
  }

  private encryptWith({ id, key }: DataKey, plaintext: string, context: string): string {
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
    if (this.destroyed.has(id)) throw new DestroyedKeyError(id);
    // Another instance may have rotated keys since this one loaded them.
    if (!this.keys.has(id)) await this.load();
    if (this.destroyed.has(id)) throw new DestroyedKeyError(id);
    const key = this.keys.get(id);
    if (!key) throw new Error(`Unknown data key ${id}`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${id}|${context}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The same plaintext encrypted with the key `keyId` (one this instance has loaded), for re-encryption. */
  async rewrap(ciphertext: string, context: string, keyId: string): Promise<string> {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Unknown data key ${keyId}`);
    return this.encryptWith({ id: keyId, key }, await this.decrypt(ciphertext, context), context);
  }

  /** Keyed digest of a normalised value, for equality look-ups on an encrypted column. */
  blindIndex(value: string, context: string): string {
    return hmac(this.blindIndexKey, `${context}|${value}`);
  }

  /** The key id a ciphertext was written with. */
  static keyIdOf(ciphertext: string): string | undefined {
    return ciphertext.split('.')[1];
  }

  /** How every ciphertext written with this key begins (to find them in the database). */
  static prefixOf(keyId: string): string {
    return `${FORMAT}.${keyId}.`;
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
