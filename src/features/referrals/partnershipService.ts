import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { ActorKind, AuditTrail } from '../audit/auditTrail.ts';
import { referralRepository as repo } from './referralRepository.ts';

export class PartnershipError extends Error {
  constructor(
    readonly field: 'support' | 'police',
    message: string,
  ) {
    super(message);
  }
}

type AuditActor = { kind: ActorKind; id?: string | null };

/**
 * Which police forces a support organisation works with. Referrals can only go
 * to a linked force. Administrators link and unlink (the command line, or the
 * support organisation's administrators on /admin/partnerships); both are audited.
 */
export class PartnershipService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  linkedForces(supportOrgId: string) {
    return repo.linkedForces(this.db, supportOrgId);
  }

  /** Police forces not yet linked, for the "add" choice. */
  async unlinkedForces(supportOrgId: string) {
    const linked = new Set((await this.linkedForces(supportOrgId)).map((f) => f.id));
    return (await repo.policeForces(this.db)).filter((f) => !linked.has(f.id));
  }

  async isLinked(supportOrgId: string, policeOrgId: string): Promise<boolean> {
    return (await repo.findPartnership(this.db, supportOrgId, policeOrgId)) !== undefined;
  }

  /** `liaison partnership add --support SLUG --police SLUG`. */
  async linkBySlug(supportSlug: string, policeSlug: string, actor: AuditActor): Promise<void> {
    const support = await repo.organisationBySlug(this.db, supportSlug);
    if (!support) throw new PartnershipError('support', `No organisation with slug "${supportSlug}"`);
    if (support.kind !== 'support') throw new PartnershipError('support', `"${supportSlug}" is not a support organisation`);
    const police = await repo.organisationBySlug(this.db, policeSlug);
    if (!police) throw new PartnershipError('police', `No organisation with slug "${policeSlug}"`);
    if (police.kind !== 'police') throw new PartnershipError('police', `"${policeSlug}" is not a police force`);
    await this.link(support.id, police.id, actor);
  }

  async link(supportOrgId: string, policeOrgId: string, actor: AuditActor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const police = await repo.organisationById(trx, policeOrgId);
      if (police?.kind !== 'police') throw new PartnershipError('police', 'Choose a police force');
      if (await repo.findPartnership(trx, supportOrgId, policeOrgId)) throw new PartnershipError('police', 'That force is already linked');
      const id = randomId();
      await repo.insertPartnership(trx, { id, support_org_id: supportOrgId, police_org_id: policeOrgId, created_at: this.now().toISOString() });
      await this.audit.record({ actorKind: actor.kind, actorId: actor.id ?? null, orgId: supportOrgId, action: 'partnership.added', targetKind: 'organisation', targetId: policeOrgId, detail: { partnership: id } }, trx);
    });
  }

  /** Unlinks a force: no new referrals go to it; referrals already sent stay where they are. */
  async unlink(supportOrgId: string, policeOrgId: string, actor: AuditActor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await repo.findPartnership(trx, supportOrgId, policeOrgId);
      if (!existing) throw new PartnershipError('police', 'That force is not linked');
      await repo.deletePartnership(trx, existing.id);
      await this.audit.record({ actorKind: actor.kind, actorId: actor.id ?? null, orgId: supportOrgId, action: 'partnership.removed', targetKind: 'organisation', targetId: policeOrgId, detail: { partnership: existing.id } }, trx);
    });
  }
}
