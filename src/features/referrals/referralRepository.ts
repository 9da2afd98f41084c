import type { Kysely, Transaction } from 'kysely';
import type { DB, PoliceCasesTable, ReferralsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** SQL for partnerships, referrals and police cases. Every police look-up is scoped by the force. */
export const referralRepository = {
  /** Forces whose administrator accepted the partnership (accepted: true) or that have not answered yet (false). */
  linkedForces(db: Executor, supportOrgId: string, accepted = true) {
    return db
      .selectFrom('partnerships')
      .innerJoin('organisations', 'organisations.id', 'partnerships.police_org_id')
      .select(['organisations.id', 'organisations.slug', 'organisations.name', 'partnerships.created_at'])
      .where('partnerships.support_org_id', '=', supportOrgId)
      .where('partnerships.accepted_at', accepted ? 'is not' : 'is', null)
      .orderBy('organisations.name')
      .execute();
  },

  /** The police side: support organisations in partnership with the force (accepted), or asking to be (not yet). */
  partnersOfForce(db: Executor, policeOrgId: string, accepted: boolean) {
    return db
      .selectFrom('partnerships')
      .innerJoin('organisations', 'organisations.id', 'partnerships.support_org_id')
      .select([
        'organisations.id',
        'organisations.slug',
        'organisations.name',
        'partnerships.created_at',
        'partnerships.accepted_at',
      ])
      .where('partnerships.police_org_id', '=', policeOrgId)
      .where('partnerships.accepted_at', accepted ? 'is not' : 'is', null)
      .orderBy('organisations.name')
      .execute();
  },

  organisationBySlug(db: Executor, slug: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'kind', 'slug', 'name'])
      .where('slug', '=', slug)
      .executeTakeFirst();
  },

  organisationById(db: Executor, id: string) {
    return db
      .selectFrom('organisations')
      .select(['id', 'kind', 'slug', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  policeForces(db: Executor) {
    return db
      .selectFrom('organisations')
      .select(['id', 'slug', 'name'])
      .where('kind', '=', 'police')
      .orderBy('name')
      .execute();
  },

  findPartnership(db: Executor, supportOrgId: string, policeOrgId: string) {
    return db
      .selectFrom('partnerships')
      .selectAll()
      .where('support_org_id', '=', supportOrgId)
      .where('police_org_id', '=', policeOrgId)
      .executeTakeFirst();
  },

  async insertPartnership(db: Executor, row: DB['partnerships']) {
    await db.insertInto('partnerships').values(row).execute();
  },

  async acceptPartnership(db: Executor, id: string, accepted: { at: string; kind: string; id: string | null }) {
    await db
      .updateTable('partnerships')
      .set({ accepted_at: accepted.at, accepted_by_kind: accepted.kind, accepted_by_id: accepted.id })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .execute();
  },

  async deletePartnership(db: Executor, id: string) {
    await db.deleteFrom('partnerships').where('id', '=', id).execute();
  },

  /** A report of this support organisation (never another's). */
  report(db: Executor, supportOrgId: string, reportId: string) {
    return db
      .selectFrom('reports')
      .selectAll()
      .where('id', '=', reportId)
      .where('org_id', '=', supportOrgId)
      .executeTakeFirst();
  },

  /** An erased report is not found: nothing of it can be shared any more. */
  reportIdByReference(db: Executor, supportOrgId: string, reference: string) {
    return db
      .selectFrom('reports')
      .select('id')
      .where('reference', '=', reference)
      .where('org_id', '=', supportOrgId)
      .where('erased_at', 'is', null)
      .executeTakeFirst();
  },

  async insertReferral(db: Executor, row: ReferralsTable) {
    await db.insertInto('referrals').values(row).execute();
  },

  referralsOfReport(db: Executor, supportOrgId: string, reportId: string) {
    return db
      .selectFrom('referrals')
      .innerJoin('organisations', 'organisations.id', 'referrals.police_org_id')
      .leftJoin('police_cases', 'police_cases.referral_id', 'referrals.id')
      .select([
        'referrals.id',
        'referrals.level',
        'referrals.status',
        'referrals.sent_at',
        'referrals.decided_at',
        'referrals.decline_reason_enc',
        'organisations.name as force',
        'police_cases.crime_reference',
        'police_cases.id as case_id',
      ])
      .where('referrals.support_org_id', '=', supportOrgId)
      .where('referrals.report_id', '=', reportId)
      .orderBy('referrals.sent_at', 'desc')
      .execute();
  },

  /** A force's referrals, newest first; `officerId` narrows to the cases that officer holds. */
  forceReferrals(db: Executor, policeOrgId: string, officerId: string | undefined, status?: ReferralsTable['status']) {
    let query = db
      .selectFrom('referrals')
      .innerJoin('organisations', 'organisations.id', 'referrals.support_org_id')
      .leftJoin('police_cases', 'police_cases.referral_id', 'referrals.id')
      .select([
        'referrals.id',
        'referrals.level',
        'referrals.status',
        'referrals.sent_at',
        'referrals.report_id',
        'organisations.name as from',
        'police_cases.crime_reference',
        'police_cases.officer_id',
      ])
      .where('referrals.police_org_id', '=', policeOrgId);
    if (officerId !== undefined) query = query.where('police_cases.officer_id', '=', officerId);
    if (status) query = query.where('referrals.status', '=', status);
    return query.orderBy('referrals.sent_at', 'desc').orderBy('referrals.id').limit(500).execute();
  },

  forceReferral(db: Executor, policeOrgId: string, id: string) {
    return db
      .selectFrom('referrals')
      .innerJoin('organisations', 'organisations.id', 'referrals.support_org_id')
      .leftJoin('police_cases', 'police_cases.referral_id', 'referrals.id')
      .select([
        'referrals.id',
        'referrals.report_id',
        'referrals.level',
        'referrals.status',
        'referrals.content_enc',
        'referrals.sent_at',
        'referrals.decided_at',
        'referrals.decline_reason_enc',
        'organisations.name as from',
        'police_cases.id as case_id',
        'police_cases.crime_reference',
        'police_cases.officer_id',
      ])
      .where('referrals.police_org_id', '=', policeOrgId)
      .where('referrals.id', '=', id)
      .executeTakeFirst();
  },

  /** Decides a referral still new; false when someone else decided it first. */
  async decide(
    db: Executor,
    id: string,
    set: Pick<ReferralsTable, 'status' | 'decided_by_kind' | 'decided_by_id' | 'decided_at' | 'decline_reason_enc'>,
  ): Promise<boolean> {
    const result = await db
      .updateTable('referrals')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'new')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  async insertCase(db: Executor, row: PoliceCasesTable) {
    await db.insertInto('police_cases').values(row).execute();
  },

  /** Who can be the officer in the case: active officers and supervisors of the force. */
  forceOfficers(db: Executor, policeOrgId: string) {
    return db
      .selectFrom('users')
      .select(['id', 'email_enc', 'role'])
      .where('org_id', '=', policeOrgId)
      .where('role', 'in', ['officer', 'supervisor'])
      .where('disabled_at', 'is', null)
      .execute();
  },

  userByEmailIndex(db: Executor, emailHmac: string) {
    return db
      .selectFrom('users')
      .select(['id', 'org_id', 'role', 'disabled_at'])
      .where('email_hmac', '=', emailHmac)
      .executeTakeFirst();
  },

  userEmail(db: Executor, id: string) {
    return db.selectFrom('users').select('email_enc').where('id', '=', id).executeTakeFirst();
  },
};
