import type { ExpressionBuilder, Insertable, Kysely, Transaction } from 'kysely';
import type { DB, ErasedBecause, LegalHoldsTable, RetentionSettingsTable } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Nothing has happened on the report at or after `since`: nothing written by
 * either side, no change of its case, its choices or its engagement, nobody
 * opened it with the code, and nothing on a police case made from it.
 */
function quietSince(eb: ExpressionBuilder<DB, 'reports'>, since: string) {
  return eb.and([
    eb.not(
      eb.exists(
        eb
          .selectFrom('report_messages')
          .select('report_id')
          .whereRef('report_messages.report_id', '=', 'reports.id')
          .where('report_messages.sent_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('report_additions')
          .select('report_id')
          .whereRef('report_additions.report_id', '=', 'reports.id')
          .where('report_additions.added_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('case_notes')
          .select('report_id')
          .whereRef('case_notes.report_id', '=', 'reports.id')
          .where('case_notes.created_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('case_tasks')
          .select('report_id')
          .whereRef('case_tasks.report_id', '=', 'reports.id')
          .where((w) => w.or([w('case_tasks.created_at', '>=', since), w('case_tasks.done_at', '>=', since)])),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('case_events')
          .select('report_id')
          .whereRef('case_events.report_id', '=', 'reports.id')
          .where('case_events.at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('consent_entries')
          .select('report_id')
          .whereRef('consent_entries.report_id', '=', 'reports.id')
          .where('consent_entries.recorded_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('engagement_changes')
          .select('report_id')
          .whereRef('engagement_changes.report_id', '=', 'reports.id')
          .where('engagement_changes.created_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('reporter_sessions')
          .select('report_id')
          .whereRef('reporter_sessions.report_id', '=', 'reports.id')
          .where('reporter_sessions.last_seen_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('referrals')
          .innerJoin('police_cases', 'police_cases.referral_id', 'referrals.id')
          .innerJoin('case_timeline_events', 'case_timeline_events.case_id', 'police_cases.id')
          .select('referrals.report_id')
          .whereRef('referrals.report_id', '=', 'reports.id')
          .where('case_timeline_events.recorded_at', '>=', since),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('referrals')
          .innerJoin('police_cases', 'police_cases.referral_id', 'referrals.id')
          .innerJoin('case_messages', 'case_messages.case_id', 'police_cases.id')
          .select('referrals.report_id')
          .whereRef('referrals.report_id', '=', 'reports.id')
          .where('case_messages.created_at', '>=', since),
      ),
    ),
  ]);
}

/** Where the last batch ended: the next one starts after it, so reports that do not qualify are read once a run. */
export interface After {
  submittedAt: string;
  id: string;
}

const afterThat = (eb: ExpressionBuilder<DB, 'reports'>, after: After | undefined) =>
  after
    ? eb.or([
        eb('reports.submitted_at', '>', after.submittedAt),
        eb.and([eb('reports.submitted_at', '=', after.submittedAt), eb('reports.id', '>', after.id)]),
      ])
    : eb.lit(true);

const notHeld = (eb: ExpressionBuilder<DB, 'reports'>) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('legal_holds')
        .select('legal_holds.report_id')
        .whereRef('legal_holds.report_id', '=', 'reports.id')
        .where('legal_holds.released_at', 'is', null),
    ),
  );

/** SQL for retention schedules, legal holds, person erasure requests and finding what is due. */
export const retentionRepository = {
  settings: (db: Executor, orgId: string) =>
    db.selectFrom('retention_settings').selectAll().where('org_id', '=', orgId).executeTakeFirst(),
  allAuditYears: (db: Executor) => db.selectFrom('retention_settings').select('audit_years').execute(),
  saveSettings: (trx: Transaction<DB>, row: RetentionSettingsTable) =>
    trx
      .insertInto('retention_settings')
      .values(row)
      .onConflict((oc) =>
        oc.column('org_id').doUpdateSet({
          uncontacted_months: row.uncontacted_months,
          closed_years: row.closed_years,
          member_inactive_months: row.member_inactive_months,
          audit_years: row.audit_years,
          request_days: row.request_days,
          updated_at: row.updated_at,
          updated_by: row.updated_by,
        }),
      )
      .execute(),

  supportOrganisations: (db: Executor) =>
    db.selectFrom('organisations').select('id').where('kind', '=', 'support').orderBy('id').execute(),

  /** A report of the organisation, by reference, with what its retention depends on. */
  reportInOrg: (db: Executor, orgId: string, reportId: string) =>
    db
      .selectFrom('reports')
      .select(['id', 'reference', 'org_id', 'erased_at', 'erased_because'])
      .where('id', '=', reportId)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  deletionRequest: (db: Executor, reportId: string) =>
    db
      .selectFrom('person_requests')
      .select('requested_at')
      .where('report_id', '=', reportId)
      .where('kind', '=', 'delete')
      .executeTakeFirst(),
  /** Deletion requests not yet acted on, oldest first, with whether a hold keeps each report. */
  openDeletionRequests: (db: Executor, orgId: string, limit: number) =>
    db
      .selectFrom('person_requests')
      .innerJoin('reports', 'reports.id', 'person_requests.report_id')
      .select((eb) => [
        'reports.reference',
        'person_requests.requested_at',
        eb
          .exists(
            eb
              .selectFrom('legal_holds')
              .select('legal_holds.report_id')
              .whereRef('legal_holds.report_id', '=', 'reports.id')
              .where('legal_holds.released_at', 'is', null),
          )
          .as('held'),
      ])
      .where('person_requests.org_id', '=', orgId)
      .where('person_requests.kind', '=', 'delete')
      .where('reports.erased_at', 'is', null)
      .orderBy('person_requests.requested_at')
      .limit(limit)
      .execute(),

  // ---- legal holds ----

  holdInForce: (db: Executor, reportId: string) =>
    db
      .selectFrom('legal_holds')
      .selectAll()
      .where('report_id', '=', reportId)
      .where('released_at', 'is', null)
      .executeTakeFirst(),
  holdsOf: (db: Executor, reportId: string) =>
    db
      .selectFrom('legal_holds')
      .selectAll()
      .where('report_id', '=', reportId)
      .orderBy('placed_at')
      .orderBy('id')
      .execute(),
  insertHold: (trx: Transaction<DB>, row: Insertable<LegalHoldsTable>) =>
    trx.insertInto('legal_holds').values(row).execute(),
  releaseHold: (
    trx: Transaction<DB>,
    id: string,
    by: { released_at: string; released_by_kind: 'user' | 'token'; released_by_id: string },
  ) => trx.updateTable('legal_holds').set(by).where('id', '=', id).where('released_at', 'is', null).executeTakeFirst(),

  // ---- erasing a person record: one asks, another confirms ----

  openPersonErasure: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('person_erasures')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('person_id', '=', personId)
      .where('confirmed_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst(),
  insertPersonErasure: (
    trx: Transaction<DB>,
    row: {
      id: string;
      org_id: string;
      person_id: string;
      because: ErasedBecause;
      requested_by: string;
      requested_at: string;
    },
  ) => trx.insertInto('person_erasures').values(row).execute(),
  /**
   * Confirms the open request, only by someone other than who asked: a compare-and-set,
   * so two confirmations at once (or the asker confirming) cannot both pass.
   */
  confirmPersonErasure: (trx: Transaction<DB>, id: string, by: string, at: string) =>
    trx
      .updateTable('person_erasures')
      .set({ confirmed_by: by, confirmed_at: at })
      .where('id', '=', id)
      .where('confirmed_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .where('requested_by', '<>', by)
      .returning(['id', 'because', 'requested_by'])
      .executeTakeFirst(),
  cancelPersonErasure: (trx: Transaction<DB>, id: string, by: string, at: string) =>
    trx
      .updateTable('person_erasures')
      .set({ cancelled_by: by, cancelled_at: at })
      .where('id', '=', id)
      .where('confirmed_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst(),

  // ---- what the schedule finds due, oldest first ----

  /**
   * Reports with no way to reach the person (no contact details, no person
   * record), no messages either way and nothing shared (no referral, no
   * warning published from them), quiet since `before`.
   */
  dueUncontacted: (db: Executor, orgId: string, before: string, limit: number, after?: After) =>
    db
      .selectFrom('reports')
      .select(['reports.id', 'reports.submitted_at'])
      .where('reports.org_id', '=', orgId)
      .where('reports.erased_at', 'is', null)
      .where('reports.submitted_at', '<', before)
      .where('reports.contact_enc', 'is', null)
      .where('reports.person_id', 'is', null)
      .where((eb) =>
        eb.and([
          eb.not(
            eb.exists(
              eb
                .selectFrom('report_messages')
                .select('report_id')
                .whereRef('report_messages.report_id', '=', 'reports.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb.selectFrom('referrals').select('report_id').whereRef('referrals.report_id', '=', 'reports.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('warning_reports')
                .innerJoin('warnings', 'warnings.id', 'warning_reports.warning_id')
                .select('warning_reports.report_id')
                .whereRef('warning_reports.report_id', '=', 'reports.id')
                .where('warnings.published_at', 'is not', null),
            ),
          ),
          notHeld(eb),
          quietSince(eb, before),
          afterThat(eb, after),
        ]),
      )
      .orderBy('reports.submitted_at')
      .orderBy('reports.id')
      .limit(limit)
      .execute(),

  /** Closed reports quiet since `before` (the closing is a case event, so it counts). */
  dueClosed: (db: Executor, orgId: string, before: string, limit: number, after?: After) =>
    db
      .selectFrom('reports')
      .select(['reports.id', 'reports.submitted_at'])
      .where('reports.org_id', '=', orgId)
      .where('reports.erased_at', 'is', null)
      .where('reports.status', '=', 'closed')
      .where('reports.submitted_at', '<', before)
      .where((eb) => eb.and([notHeld(eb), quietSince(eb, before), afterThat(eb, after)]))
      .orderBy('reports.submitted_at')
      .orderBy('reports.id')
      .limit(limit)
      .execute(),

  /** Member accounts whose code has not signed in since `before` (or, never having, joined before it). */
  dueMembers: (db: Executor, orgId: string, before: string, limit: number) =>
    db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', orgId)
      .where((eb) => eb(eb.fn.coalesce('last_active_at', 'approved_at', 'joined_at'), '<', before))
      .orderBy('joined_at')
      .orderBy('id')
      .limit(limit)
      .execute(),
};
