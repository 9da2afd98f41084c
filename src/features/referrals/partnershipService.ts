import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { ActorKind, AuditTrail } from '../audit/index.ts';
import { referralRepository as repo } from './referralRepository.ts';

export class PartnershipError extends Error {
  constructor(
    readonly field: 'support' | 'police' | 'partner',
    message: string,
  ) {
    super(message);
  }
}

type AuditActor = { kind: ActorKind; id?: string | null };
/** Operators: the command line, or the system setting things up. */
type OperatorActor = { kind: Extract<ActorKind, 'cli' | 'system'>; id?: string | null };

/** A member of staff acting for their organisation on /admin/partnerships. */
export interface PartnershipAdmin {
  userId: string;
  orgId: string;
  orgKind: 'support' | 'police';
}

/**
 * Which police forces a support organisation works with. A charity's
 * administrator only asks (`request`); the partnership counts — referrals can
 * be sent, the force's officers are listed for training — once the force's
 * administrator accepts it, because a charity must not be able to attach
 * itself to any force and read its officers. An operator's
 * `liaison partnership add` links both at once. Either side can end it;
 * referrals already sent stay with the force. Every step is audited.
 */
export class PartnershipService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** Accepted partnerships only: the forces a referral may go to. */
  linkedForces(supportOrgId: string) {
    return repo.linkedForces(this.db, supportOrgId, true);
  }

  /** Requests the forces have not answered yet. */
  requestedForces(supportOrgId: string) {
    return repo.linkedForces(this.db, supportOrgId, false);
  }

  /** Police forces neither linked nor asked, for the "request" choice. */
  async unlinkedForces(supportOrgId: string) {
    const taken = new Set(
      [...(await this.linkedForces(supportOrgId)), ...(await this.requestedForces(supportOrgId))].map((f) => f.id),
    );
    return (await repo.policeForces(this.db)).filter((f) => !taken.has(f.id));
  }

  /** The police side: accepted partners and open requests. */
  async forForce(policeOrgId: string) {
    return {
      partners: await repo.partnersOfForce(this.db, policeOrgId, true),
      requests: await repo.partnersOfForce(this.db, policeOrgId, false),
    };
  }

  async isLinked(supportOrgId: string, policeOrgId: string): Promise<boolean> {
    return (await repo.findPartnership(this.db, supportOrgId, policeOrgId))?.accepted_at != null;
  }

  /** `liaison partnership add --support SLUG --police SLUG`: an operator links both sides at once. */
  async linkBySlug(supportSlug: string, policeSlug: string, actor: OperatorActor): Promise<void> {
    const support = await repo.organisationBySlug(this.db, supportSlug);
    if (!support) throw new PartnershipError('support', `No organisation with slug "${supportSlug}"`);
    if (support.kind !== 'support')
      throw new PartnershipError('support', `"${supportSlug}" is not a support organisation`);
    const police = await repo.organisationBySlug(this.db, policeSlug);
    if (!police) throw new PartnershipError('police', `No organisation with slug "${policeSlug}"`);
    if (police.kind !== 'police') throw new PartnershipError('police', `"${policeSlug}" is not a police force`);
    await this.link(support.id, police.id, actor);
  }

  /**
   * An operator's link (command line, or system set-up): accepted at once. An
   * open request from the charity is accepted by it.
   */
  async link(supportOrgId: string, policeOrgId: string, actor: OperatorActor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const police = await repo.organisationById(trx, policeOrgId);
      if (police?.kind !== 'police') throw new PartnershipError('police', 'Choose a police force');
      const existing = await repo.findPartnership(trx, supportOrgId, policeOrgId);
      if (existing?.accepted_at) throw new PartnershipError('police', 'That force is already linked');
      const at = this.now().toISOString();
      const id = existing?.id ?? randomId();
      if (existing) await repo.acceptPartnership(trx, id, { at, kind: actor.kind, id: actor.id ?? null });
      else
        await repo.insertPartnership(trx, {
          id,
          support_org_id: supportOrgId,
          police_org_id: policeOrgId,
          created_at: at,
          accepted_at: at,
          accepted_by_kind: actor.kind,
          accepted_by_id: actor.id ?? null,
        });
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId: supportOrgId,
          action: 'partnership.added',
          targetKind: 'organisation',
          targetId: policeOrgId,
          detail: { partnership: id },
        },
        trx,
      );
    });
  }

  /** A support organisation's administrator asks a force to work with it. */
  async request(admin: PartnershipAdmin, policeOrgId: string): Promise<void> {
    if (admin.orgKind !== 'support')
      throw new PartnershipError('police', 'Only a support organisation can ask a police force');
    await this.db.transaction().execute(async (trx) => {
      const police = await repo.organisationById(trx, policeOrgId);
      if (police?.kind !== 'police') throw new PartnershipError('police', 'Choose a police force');
      const existing = await repo.findPartnership(trx, admin.orgId, policeOrgId);
      if (existing)
        throw new PartnershipError(
          'police',
          existing.accepted_at
            ? 'That force is already linked'
            : 'You have already asked that force; its administrator has not answered yet',
        );
      const id = randomId();
      await repo.insertPartnership(trx, {
        id,
        support_org_id: admin.orgId,
        police_org_id: policeOrgId,
        created_at: this.now().toISOString(),
        accepted_at: null,
        accepted_by_kind: null,
        accepted_by_id: null,
      });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'partnership.requested',
          targetKind: 'organisation',
          targetId: policeOrgId,
          detail: { partnership: id },
        },
        trx,
      );
    });
  }

  /** The force's administrator accepts a charity's request. */
  async accept(admin: PartnershipAdmin, supportOrgId: string): Promise<void> {
    if (admin.orgKind !== 'police') throw new PartnershipError('support', 'Only the police force can accept a request');
    await this.db.transaction().execute(async (trx) => {
      const existing = await repo.findPartnership(trx, supportOrgId, admin.orgId);
      if (!existing) throw new PartnershipError('support', 'That organisation has not asked to work with your force');
      if (existing.accepted_at) throw new PartnershipError('support', 'That organisation is already a partner');
      await repo.acceptPartnership(trx, existing.id, { at: this.now().toISOString(), kind: 'user', id: admin.userId });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'partnership.accepted',
          targetKind: 'organisation',
          targetId: supportOrgId,
          detail: { partnership: existing.id },
        },
        trx,
      );
    });
  }

  /**
   * Either side ends a partnership, withdraws its request or (the force)
   * declines one: no new referrals go to the force and its officers leave the
   * charity's lists; referrals already sent stay with the force.
   */
  async end(admin: PartnershipAdmin, partnerOrgId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const [supportOrgId, policeOrgId] =
        admin.orgKind === 'support' ? [admin.orgId, partnerOrgId] : [partnerOrgId, admin.orgId];
      const existing = await repo.findPartnership(trx, supportOrgId, policeOrgId);
      if (!existing)
        throw new PartnershipError(
          'partner',
          admin.orgKind === 'support' ? 'That force is not linked' : 'That organisation is not a partner',
        );
      await this.remove(trx, existing, { kind: 'user', id: admin.userId }, admin.orgId, partnerOrgId);
    });
  }

  private async remove(
    trx: Transaction<DB>,
    existing: DB['partnerships'],
    actor: AuditActor,
    orgId: string,
    targetId: string,
  ) {
    await repo.deletePartnership(trx, existing.id);
    const action = existing.accepted_at
      ? 'partnership.removed'
      : orgId === existing.police_org_id
        ? 'partnership.declined'
        : 'partnership.withdrawn';
    await this.audit.record(
      {
        actorKind: actor.kind,
        actorId: actor.id ?? null,
        orgId,
        action,
        targetKind: 'organisation',
        targetId,
        detail: { partnership: existing.id },
      },
      trx,
    );
  }
}
