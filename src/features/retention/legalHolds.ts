import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { textField } from '../../platform/validation/text.ts';
import type { AuditTrail } from '../audit/index.ts';
import { erasureRepository } from './erasureRepository.ts';
import { retentionRepository as repo } from './retentionRepository.ts';

/** A refusal worded for the form field it belongs to. */
export class RetentionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const holdSchema = z.object({
  holdReason: textField(
    'The reason',
    2000,
    'Say why the report must be kept (for example, a court case or an investigation)',
  ),
});

export interface HoldView {
  placedAt: string;
  placedBy: string;
  reason: string;
}

/**
 * Legal holds: while one is in force a report is not erased, by the schedule
 * or at the person's request (a court case, an investigation, a claim). A
 * caseworker or liaison places it with a reason (encrypted) and releases it;
 * both are audited. Placing takes the report's row lock, as erasing does, so
 * a hold and an erasure at the same moment cannot both succeed.
 */
export class LegalHolds {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  async place(actor: Actor, reportId: string, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const report = await erasureRepository.lockReport(trx, reportId);
      if (!report || report.org_id !== actor.orgId)
        throw new RetentionError('holdReason', 'There is no such report in your organisation');
      if (report.erased_at) throw new RetentionError('holdReason', 'This report has already been erased');
      if (await repo.holdInForce(trx, reportId))
        throw new RetentionError('holdReason', 'This report is already on legal hold');
      const id = randomId();
      await repo.insertHold(trx, {
        id,
        report_id: reportId,
        org_id: actor.orgId,
        reason_enc: this.cipher.encrypt(reason, 'legal_holds.reason'),
        placed_by_kind: actor.kind,
        placed_by_id: actor.id,
        placed_at: this.now().toISOString(),
        released_at: null,
        released_by_kind: null,
        released_by_id: null,
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'report.legal-hold-placed',
          targetKind: 'report',
          targetId: reportId,
          detail: { holdId: id },
        },
        trx,
      );
    });
  }

  async release(actor: Actor, reportId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const hold = await repo.holdInForce(trx, reportId);
      if (!hold || hold.org_id !== actor.orgId) throw new RetentionError('hold', 'This report is not on legal hold');
      const released = await repo.releaseHold(trx, hold.id, {
        released_at: this.now().toISOString(),
        released_by_kind: actor.kind,
        released_by_id: actor.id,
      });
      if (!Number(released.numUpdatedRows)) throw new RetentionError('hold', 'This report is not on legal hold');
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'report.legal-hold-released',
          targetKind: 'report',
          targetId: reportId,
          detail: { holdId: hold.id },
        },
        trx,
      );
    });
  }

  /** The hold in force on a report, if any, with who placed it and why. */
  async inForce(reportId: string): Promise<HoldView | null> {
    const hold = await repo.holdInForce(this.db, reportId);
    if (!hold) return null;
    const names = await actorNames(this.db, this.cipher, [{ kind: hold.placed_by_kind, id: hold.placed_by_id }]);
    return {
      placedAt: hold.placed_at,
      placedBy: names.get(`${hold.placed_by_kind}:${hold.placed_by_id}`) ?? 'someone no longer here',
      reason: await this.cipher.decrypt(hold.reason_enc, 'legal_holds.reason'),
    };
  }
}
