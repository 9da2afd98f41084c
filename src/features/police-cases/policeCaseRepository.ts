import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for police cases and who may see them (the organisation's kind, the caller's roles). */
export const policeCaseRepository = {
  orgKind: (db: Executor, orgId: string) =>
    db.selectFrom('organisations').select('kind').where('id', '=', orgId).executeTakeFirst(),

  /** Roles are read here, never taken from the caller. */
  staffRoles: (db: Executor, userId: string, orgId: string) =>
    db
      .selectFrom('users')
      .select(['role', 'casework_role', 'disabled_at'])
      .where('id', '=', userId)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),

  /** The case with both organisations, the referral and the report's reference and incident types. */
  caseWithParties: (db: Executor, caseId: string) =>
    db
      .selectFrom('police_cases')
      .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
      .innerJoin('reports', 'reports.id', 'referrals.report_id')
      .innerJoin('organisations as force', 'force.id', 'police_cases.police_org_id')
      .innerJoin('organisations as support', 'support.id', 'referrals.support_org_id')
      .select([
        'force.name as force_name',
        'support.name as support_name',
        'reports.reference',
        'police_cases.id',
        'police_cases.police_org_id',
        'police_cases.officer_id',
        'police_cases.referral_id',
        'referrals.level',
        'referrals.support_org_id',
        'referrals.report_id',
        'police_cases.crime_reference',
        'police_cases.enhanced_rights',
        'police_cases.created_at',
        'reports.incident_types',
      ])
      .where('police_cases.id', '=', caseId)
      .executeTakeFirst(),

  /** A side's cases, newest first; an officer's only those they hold. */
  visibleCases: (
    db: Executor,
    scope: { side: 'support' | 'police'; orgId: string; officerId?: string | null },
    limit: number,
  ) => {
    let q = db
      .selectFrom('police_cases')
      .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
      .select([
        'police_cases.id',
        'police_cases.crime_reference',
        'police_cases.officer_id',
        'police_cases.created_at',
      ]);
    q =
      scope.side === 'support'
        ? q.where('referrals.support_org_id', '=', scope.orgId)
        : q.where('police_cases.police_org_id', '=', scope.orgId);
    if (scope.side === 'police' && scope.officerId !== null && scope.officerId !== undefined)
      q = q.where('police_cases.officer_id', '=', scope.officerId);
    return q.orderBy('police_cases.created_at', 'desc').orderBy('police_cases.id').limit(limit).execute();
  },

  setEnhancedRights: (db: Executor, caseId: string, enhanced: boolean) =>
    db
      .updateTable('police_cases')
      .set({ enhanced_rights: enhanced ? 1 : 0 })
      .where('id', '=', caseId)
      .execute(),

  crimeReferences: (db: Executor, caseIds: readonly string[]) =>
    db.selectFrom('police_cases').select(['id', 'crime_reference']).where('id', 'in', caseIds).execute(),

  reportIdOf: (db: Executor, caseId: string) =>
    db
      .selectFrom('police_cases')
      .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
      .select('referrals.report_id')
      .where('police_cases.id', '=', caseId)
      .executeTakeFirstOrThrow(),
};
