import type { Transaction } from 'kysely';
import { SWITCH_WINDOW_MS, type FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { KeyUsage, ReencryptOptions, ReencryptResult, Reencryption } from '../../platform/crypto/reencryption.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { AuditTrail } from '../audit/index.ts';

/** Who starts a new key: a support administrator on the admin pages, or an operator at the command line. */
export type KeyRotator = { kind: 'user'; userId: string; orgId: string } | { kind: 'cli' };

/** Who re-encrypts: an operator, or the job queued by a rotation. */
export type KeyWorker = KeyRotator | { kind: 'job' };

/** Queues the `keys.reencrypt` job in the rotation's transaction, to run at `runAt`. */
export type QueueReencryption = (trx: Transaction<DB>, keyId: string, runAt: Date) => Promise<void>;

/** Why a key cannot be retired (yet), in words for the operator; `usage` says where it is still used. */
export class KeyRetirementError extends Error {
  constructor(
    message: string,
    readonly usage: KeyUsage = [],
  ) {
    super(message);
  }
}

const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const actorOf = (by: KeyWorker) =>
  by.kind === 'user'
    ? { actorKind: 'user' as const, actorId: by.userId, orgId: by.orgId }
    : { actorKind: by.kind === 'cli' ? ('cli' as const) : ('system' as const) };

/**
 * The data-encryption keys: which exist, starting a new one for new data,
 * re-encrypting older data with it, and retiring a key nothing uses any more.
 */
export class KeyService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly reencryption: Reencryption,
    private readonly now: () => Date,
    private readonly queueReencryption: QueueReencryption,
  ) {}

  /** The keys without their material, newest first. */
  list(): ReturnType<FieldCipher['listKeys']> {
    return this.cipher.listKeys();
  }

  /**
   * Makes a new key the one used for new data, audited with the key it
   * replaces; returns both ids. With `queueReencryption`, the job that rewraps
   * older data is queued with it, to run once every instance has switched.
   */
  async rotate(
    by: KeyRotator,
    options: { queueReencryption?: boolean } = {},
  ): Promise<{ previous: string; keyId: string }> {
    const previous = this.cipher.activeKeyId;
    const keyId = await this.cipher.rotate(async (trx, id) => {
      await this.audit.record(
        { ...actorOf(by), action: 'keys.rotated', targetKind: 'data-key', targetId: id, detail: { previous } },
        trx,
      );
      if (options.queueReencryption)
        await this.queueReencryption(trx, id, new Date(this.now().getTime() + SWITCH_WINDOW_MS));
    });
    return { previous, keyId };
  }

  /** Rewraps everything written with older keys with the active one (see Reencryption); audited with the counts. */
  async reencrypt(by: KeyWorker, options: ReencryptOptions = {}): Promise<ReencryptResult> {
    const result = await this.reencryption.run(options);
    await this.audit.record({
      ...actorOf(by),
      action: 'keys.reencrypted',
      targetKind: 'data-key',
      targetId: result.keyId,
      detail: { rewrapped: result.rewrapped, unreadable: result.unreadable, left: result.left },
    });
    return result;
  }

  /** Values still written with the key, per table. */
  usage(keyId: string): Promise<KeyUsage> {
    return this.reencryption.usage(keyId);
  }

  /**
   * Retires a rotated-out key for good, so that it can no longer decrypt:
   * refused (KeyRetirementError) for the active key, within SWITCH_WINDOW_MS
   * of its rotation (an instance may still be writing with it), and while any
   * value is still encrypted with it. False when it was already retired.
   */
  async retire(keyId: string, by: KeyRotator): Promise<boolean> {
    const key = (await this.cipher.listKeys()).find((k) => k.id === keyId);
    if (!key) throw new KeyRetirementError(`There is no data key ${keyId}.`);
    if (key.destroyed_at) return false;
    if (!key.retired_at)
      throw new KeyRetirementError(
        `Data key ${keyId} protects new data: start a new key first (liaison keys rotate --reencrypt).`,
      );
    const switchedBy = new Date(Date.parse(key.retired_at) + SWITCH_WINDOW_MS);
    if (this.now() < switchedBy)
      throw new KeyRetirementError(
        `Data key ${keyId} was replaced at ${minute(key.retired_at)}; running servers may still write with it for a short while. Try again after ${minute(new Date(switchedBy.getTime() + 60_000).toISOString())}.`,
      );
    const usage = await this.reencryption.usage(keyId);
    if (usage.length) {
      const total = usage.reduce((n, u) => n + u.values, 0);
      throw new KeyRetirementError(
        `Data key ${keyId} still encrypts ${total} ${total === 1 ? 'value' : 'values'} (${usage.map((u) => `${u.table}: ${u.values}`).join(', ')}). Run liaison keys reencrypt first.`,
        usage,
      );
    }
    const retired = await this.cipher.destroy(keyId, new Date(this.now().getTime() - SWITCH_WINDOW_MS), (trx) =>
      this.audit.record({ ...actorOf(by), action: 'keys.retired', targetKind: 'data-key', targetId: keyId }, trx),
    );
    if (!retired && !(await this.cipher.listKeys()).find((k) => k.id === keyId)?.destroyed_at)
      throw new KeyRetirementError(`Data key ${keyId} could not be retired; try again.`);
    return retired;
  }
}
