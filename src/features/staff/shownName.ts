import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { AuditTrail } from '../audit/index.ts';
import { shownNameRepository as repo } from './shownNameRepository.ts';

/** A first name only: letters, spaces, hyphens and apostrophes, so it cannot carry a surname, number or link. */
export const shownNameSchema = z.object({
  shownName: z
    .string()
    .trim()
    .max(30, 'A first name must be 30 characters or fewer')
    .regex(/^(\p{L}[\p{L}'’-]*)?$/u, 'Enter one first name only, using letters (no spaces, numbers or surnames)'),
});

/**
 * The first name a member of a support organisation chooses to show to the
 * people whose reports they look after ("Kerina is looking after your report");
 * none by default, when the person reads "A caseworker". Stored encrypted.
 */
export class ShownNames {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
  ) {}

  async get(userId: string): Promise<string> {
    const row = await repo.get(this.db, userId);
    return row?.shown_name_enc ? this.cipher.decrypt(row.shown_name_enc, 'users.shown_name') : '';
  }

  async set(user: { userId: string; orgId: string }, name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.set(trx, user.userId, name ? this.cipher.encrypt(name, 'users.shown_name') : null);
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: user.userId,
          orgId: user.orgId,
          action: 'staff.shown-name-set',
          targetKind: 'user',
          targetId: user.userId,
          detail: { shown: Boolean(name) },
        },
        trx,
      );
    });
  }
}
