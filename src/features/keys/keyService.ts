import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { AuditTrail } from '../audit/index.ts';

/** Who starts a new key: a support administrator on the admin pages, or an operator at the command line. */
export type KeyRotator = { kind: 'user'; userId: string; orgId: string } | { kind: 'cli' };

/** The data-encryption keys: which exist, and starting a new one for new data (old data stays readable). */
export class KeyService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
  ) {}

  /** The keys without their material, newest first. */
  list(): ReturnType<FieldCipher['listKeys']> {
    return this.cipher.listKeys();
  }

  /** Makes a new key the one used for new data, audited with the key it replaces; returns both ids. */
  async rotate(by: KeyRotator): Promise<{ previous: string; keyId: string }> {
    const previous = this.cipher.activeKeyId;
    const keyId = await this.cipher.rotate();
    await this.audit.record({
      actorKind: by.kind,
      ...(by.kind === 'user' ? { actorId: by.userId, orgId: by.orgId } : {}),
      action: 'keys.rotated',
      targetKind: 'data-key',
      targetId: keyId,
      detail: { previous },
    });
    return { previous, keyId };
  }
}
