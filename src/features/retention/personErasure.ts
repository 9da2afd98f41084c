import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB, ErasedBecause } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { Erasure } from './erasure.ts';
import { erasureRepository } from './erasureRepository.ts';
import { RetentionError } from './legalHolds.ts';
import { retentionRepository as repo } from './retentionRepository.ts';

export const askSchema = z.object({
  because: z.enum(['request', 'retention'], { message: 'Choose why the record is to be erased' }),
});
export const confirmSchema = z.object({
  confirm: z.literal('yes', { message: 'Tick the box to confirm you have checked this record should be erased' }),
});

export interface PersonErasureState {
  /** The open request, if someone has asked. */
  open: { because: ErasedBecause; requestedAt: string; requestedBy: string; byYou: boolean } | null;
  /** Reports linked to the record (and those merged into it) that are not erased yet. */
  reports: { reference: string; held: boolean }[];
}

/**
 * Erasing a person record takes two members of staff: one asks (saying why),
 * a different one confirms. Confirming erases every report linked to the
 * record and the record itself, in one transaction; a legal hold on any of
 * the reports refuses it, changing nothing. Each step is audited.
 */
export class PersonErasure {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly erasure: Erasure,
    private readonly now: () => Date,
  ) {}

  private async person(orgId: string, personId: string) {
    const person = await erasureRepository.personInOrg(this.db, orgId, personId);
    if (!person) throw new RetentionError('because', 'There is no such person record in your organisation');
    if (person.merged_into)
      throw new RetentionError('because', 'This record was merged into another: erase the record it was merged into');
    return person;
  }

  async state(actor: Actor, personId: string): Promise<PersonErasureState> {
    await this.person(actor.orgId, personId);
    const open = await repo.openPersonErasure(this.db, actor.orgId, personId);
    const names = open ? await actorNames(this.db, this.cipher, [{ kind: 'user', id: open.requested_by }]) : new Map();
    const ids = await this.erasure.withMerged(this.db, [personId]);
    const reports = await erasureRepository.liveReportsOf(this.db, ids);
    return {
      open: open
        ? {
            because: open.because,
            requestedAt: open.requested_at,
            requestedBy: names.get(`user:${open.requested_by}`) ?? 'someone no longer here',
            byYou: open.requested_by === actor.id,
          }
        : null,
      reports: await Promise.all(
        reports.map(async (r) => ({ reference: r.reference, held: Boolean(await repo.holdInForce(this.db, r.id)) })),
      ),
    };
  }

  async ask(actor: Actor, personId: string, because: ErasedBecause): Promise<void> {
    if (actor.kind !== 'user') throw new RetentionError('because', 'A member of staff must ask for this');
    await this.person(actor.orgId, personId);
    await this.db.transaction().execute(async (trx) => {
      if (await repo.openPersonErasure(trx, actor.orgId, personId))
        throw new RetentionError('because', 'Someone has already asked for this record to be erased');
      const id = randomId();
      await repo.insertPersonErasure(trx, {
        id,
        org_id: actor.orgId,
        person_id: personId,
        because,
        requested_by: actor.id,
        requested_at: this.now().toISOString(),
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'person.erasure-requested',
          targetKind: 'person',
          targetId: personId,
          detail: { requestId: id, because },
        },
        trx,
      );
    });
  }

  async cancel(actor: Actor, personId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const open = await repo.openPersonErasure(trx, actor.orgId, personId);
      if (!open) throw new RetentionError('confirm', 'Nobody has asked for this record to be erased');
      await repo.cancelPersonErasure(trx, open.id, actor.id, this.now().toISOString());
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'person.erasure-cancelled',
          targetKind: 'person',
          targetId: personId,
          detail: { requestId: open.id },
        },
        trx,
      );
    });
  }

  /** The second member of staff confirms: every linked report and the record are erased, or nothing is. */
  async confirm(actor: Actor, personId: string): Promise<{ reports: number }> {
    if (actor.kind !== 'user') throw new RetentionError('confirm', 'A member of staff must confirm this');
    await this.person(actor.orgId, personId);
    return this.db.transaction().execute(async (trx) => {
      const open = await repo.openPersonErasure(trx, actor.orgId, personId);
      if (!open) throw new RetentionError('confirm', 'Nobody has asked for this record to be erased');
      if (open.requested_by === actor.id)
        throw new RetentionError('confirm', 'A different member of staff must confirm: you asked for this erasure');
      const confirmed = await repo.confirmPersonErasure(trx, open.id, actor.id, this.now().toISOString());
      if (!confirmed) throw new RetentionError('confirm', 'This request was confirmed or cancelled by someone else');
      const ids = await this.erasure.withMerged(trx, [personId]);
      const reports = await erasureRepository.liveReportsOf(trx, ids);
      for (const report of reports) {
        const outcome = await this.erasure.eraseReportIn(trx, report.id, confirmed.because, actor, false);
        if (outcome === 'held')
          throw new RetentionError(
            'confirm',
            `Report ${report.reference} is on legal hold, so this record cannot be erased until the hold is released`,
          );
      }
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'person.erasure-confirmed',
          targetKind: 'person',
          targetId: personId,
          detail: { requestId: open.id, requestedBy: open.requested_by, reports: reports.length },
        },
        trx,
      );
      await this.erasure.erasePersonIn(trx, actor.orgId, personId, actor, confirmed.because);
      return { reports: reports.length };
    });
  }
}
