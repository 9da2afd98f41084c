import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { enhancedRightsByDefault } from './enhancedRights.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { policeCaseRepository as repo } from './policeCaseRepository.ts';

/** What an actor may see of police cases (see PoliceCaseScope.scopeOf). */
export type CaseScope =
  { side: 'none' } | { side: 'support'; orgId: string } | { side: 'police'; orgId: string; officerId: string | null };

/** A case's facts, no personal data: what other features need after the access check. */
export interface CaseFacts {
  id: string;
  /** Which side the actor is on. */
  side: 'support' | 'police';
  forceOrgId: string;
  forceName: string;
  supportOrgId: string;
  supportName: string;
  reportId: string;
  /** The support organisation's reference for the report; null for the police, who never see it. */
  reportReference: string | null;
  referralId: string;
  level: 'intelligence' | 'full';
  officerId: string | null;
  crimeReference: string;
  enhancedRights: boolean;
  createdAt: string;
}

/**
 * Who may open which police case, decided here once for pages, the API and
 * the features hanging off a case. A case (police_cases, created when a force
 * accepts a referral) belongs to the force and, through the referral, to the
 * support organisation; any other organisation gets 'not-found'.
 */
export class PoliceCaseScope {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Which police cases an actor may open. The support organisation's
   * caseworkers and liaison officer (also an administrator whose working role
   * is one of those) see all of its own cases; on the force's side supervisors see all of the force's cases and
   * officers only those where they are the officer in the case. API tokens
   * belong to no person: the API admits only police supervisor and charity
   * liaison tokens, so a token sees its whole side. Anyone else (another organisation, a police admin
   * or analyst) sees none.
   */
  async scopeOf(actor: Actor, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<CaseScope> {
    const org = await repo.orgKind(trx, actor.orgId);
    if (!org) return { side: 'none' };
    if (actor.kind === 'token')
      return org.kind === 'support'
        ? { side: 'support', orgId: actor.orgId }
        : { side: 'police', orgId: actor.orgId, officerId: null };
    const user = await repo.staffRoles(trx, actor.id, actor.orgId);
    if (!user || user.disabled_at) return { side: 'none' };
    if (org.kind === 'support')
      return [user.role, user.casework_role].some((r) => r === 'caseworker' || r === 'liaison')
        ? { side: 'support', orgId: actor.orgId }
        : { side: 'none' };
    if (user.role === 'supervisor') return { side: 'police', orgId: actor.orgId, officerId: null };
    if (user.role === 'officer') return { side: 'police', orgId: actor.orgId, officerId: actor.id };
    return { side: 'none' };
  }

  /**
   * The case's facts after the access check every case read and write makes:
   * a PoliceCaseError 'not-found' when the actor may not see it. Not audited
   * (the caller audits its own use).
   */
  async caseOf(caseId: string, actor: Actor, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<CaseFacts> {
    const row = await repo.caseWithParties(trx, caseId);
    const notFound = () => new PoliceCaseError('not-found', 'case', 'There is no such case for your organisation.');
    if (!row || (row.police_org_id !== actor.orgId && row.support_org_id !== actor.orgId)) throw notFound();
    const scope = await this.scopeOf(actor, trx);
    if (
      scope.side === 'none' ||
      (scope.side === 'police' && scope.officerId !== null && row.officer_id !== scope.officerId)
    )
      throw notFound();
    const enhancedRights =
      row.enhanced_rights === null || row.enhanced_rights === undefined
        ? enhancedRightsByDefault(JSON.parse(row.incident_types) as string[])
        : row.enhanced_rights === 1;
    return {
      id: row.id,
      side: scope.side,
      forceOrgId: row.police_org_id,
      forceName: row.force_name,
      supportOrgId: row.support_org_id,
      supportName: row.support_name,
      reportId: row.report_id,
      reportReference: scope.side === 'support' ? row.reference : null,
      referralId: row.referral_id,
      level: row.level,
      officerId: row.officer_id,
      crimeReference: row.crime_reference,
      enhancedRights,
      createdAt: row.created_at,
    };
  }
}
