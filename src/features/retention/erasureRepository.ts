import type { Kysely, Transaction } from 'kysely';
import type { DB, ErasedBecause } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Every statement that erases personal content, for every table that holds
 * some about a report, a person or a member, in one place: erasing touches
 * rows other features write, and keeping it together lets one test check that
 * no table holding a report's or a person's content is left out. Each runs in
 * the erasing transaction.
 */
export const erasureRepository = {
  /**
   * Takes the report's row lock (a write that changes nothing) and reads what
   * erasing it needs; a legal hold placed at the same moment waits for it.
   */
  lockReport: (trx: Transaction<DB>, reportId: string) =>
    trx
      .updateTable('reports')
      .set((eb) => ({ erased_at: eb.ref('erased_at') }))
      .where('id', '=', reportId)
      .returning(['id', 'org_id', 'person_id', 'status', 'erased_at'])
      .executeTakeFirst(),

  /**
   * In one round trip, what the report has that erasing must deal with: a
   * hold in force (which stops it), and each kind of row to delete or empty.
   * Most reports due under the schedule have few of them, so erasing one is a
   * handful of statements, not one per table.
   */
  contentOf: (trx: Transaction<DB>, reportId: string) =>
    trx
      .selectFrom('reports')
      .select((eb) => {
        const has = <T extends keyof DB & string>(table: T) =>
          eb.exists(
            eb
              .selectFrom(table as 'report_messages')
              .select('report_id')
              .whereRef('report_id' as never, '=', 'reports.id'),
          );
        return [
          eb
            .exists(
              eb
                .selectFrom('legal_holds')
                .select('report_id')
                .whereRef('legal_holds.report_id', '=', 'reports.id')
                .where('legal_holds.released_at', 'is', null),
            )
            .as('held'),
          eb
            .exists(
              eb
                .selectFrom('legal_holds')
                .select('report_id')
                .whereRef('legal_holds.report_id', '=', 'reports.id')
                .where('legal_holds.released_at', 'is not', null),
            )
            .as('released_holds'),
          has('report_messages').as('messages'),
          has('report_additions').as('additions'),
          has('case_notes').as('notes'),
          has('case_tasks').as('tasks'),
          has('person_updates').as('updates'),
          has('reporter_sessions').as('sessions'),
          has('warning_reports').as('warnings'),
          has('attrition_watch').as('watched'),
          eb
            .exists(
              eb
                .selectFrom('case_events')
                .select('report_id')
                .whereRef('case_events.report_id', '=', 'reports.id')
                .where('case_events.kind', '=', 'status'),
            )
            .as('status_events'),
          eb
            .exists(
              eb
                .selectFrom('engagement_changes')
                .select('report_id')
                .whereRef('engagement_changes.report_id', '=', 'reports.id')
                .where('engagement_changes.note_enc', 'is not', null),
            )
            .as('engagement_notes'),
        ];
      })
      .where('reports.id', '=', reportId)
      .executeTakeFirstOrThrow(),

  /** The report itself: what the person wrote goes; dates, types, area, source and status stay. */
  blankReport: (
    trx: Transaction<DB>,
    reportId: string,
    set: {
      account_enc: string;
      details_enc: string;
      erased_at: string;
      erased_because: ErasedBecause;
      status: 'closed';
    },
  ) =>
    trx
      .updateTable('reports')
      .set({
        ...set,
        contact_enc: null,
        area_enc: null,
        // A hash of the body sent could confirm a guess at what was written.
        idempotency_hash: null,
        idempotency_body_hash: null,
        person_id: null,
      })
      .where('id', '=', reportId)
      .execute(),

  /** Rows that are nothing but content written by or about the person (or a way back into it). */
  deleteContent: (
    trx: Transaction<DB>,
    table:
      'report_messages' | 'report_additions' | 'case_notes' | 'case_tasks' | 'person_updates' | 'reporter_sessions',
    reportId: string,
  ) => trx.deleteFrom(table).where('report_id', '=', reportId).execute(),

  dropFromAttritionWatch: (trx: Transaction<DB>, reportId: string) =>
    trx.deleteFrom('attrition_watch').where('report_id', '=', reportId).execute(),

  /** Status changes carry the reason typed when closing; the rest of the history holds only fixed words and ids. */
  statusEvents: (trx: Transaction<DB>, reportId: string) =>
    trx
      .selectFrom('case_events')
      .select(['id', 'detail_enc'])
      .where('report_id', '=', reportId)
      .where('kind', '=', 'status')
      .execute(),
  setEventDetail: (trx: Transaction<DB>, id: string, detailEnc: string) =>
    trx.updateTable('case_events').set({ detail_enc: detailEnc }).where('id', '=', id).execute(),
  insertStatusEvent: (
    trx: Transaction<DB>,
    row: {
      id: string;
      report_id: string;
      actor_kind: 'user' | 'token';
      actor_id: string | null;
      detail_enc: string;
      at: string;
    },
  ) =>
    trx
      .insertInto('case_events')
      .values({ ...row, kind: 'status' })
      .execute(),

  /** Engagement changes keep their status, reasons (fixed words) and dates; the typed note goes. */
  blankEngagementNotes: (trx: Transaction<DB>, reportId: string) =>
    trx.updateTable('engagement_changes').set({ note_enc: null }).where('report_id', '=', reportId).execute(),

  /** Reasons typed for holds released earlier: the hold's dates stay. */
  blankReleasedHolds: (trx: Transaction<DB>, reportId: string, emptyReasonEnc: string) =>
    trx
      .updateTable('legal_holds')
      .set({ reason_enc: emptyReasonEnc })
      .where('report_id', '=', reportId)
      .where('released_at', 'is not', null)
      .execute(),

  // ---- warnings made from the report ----

  warningsOf: (trx: Transaction<DB>, reportId: string) =>
    trx
      .selectFrom('warning_reports')
      .innerJoin('warnings', 'warnings.id', 'warning_reports.warning_id')
      .select(['warnings.id', 'warnings.status', 'warnings.expires_at'])
      .where('warning_reports.report_id', '=', reportId)
      .execute(),
  unlinkWarnings: (trx: Transaction<DB>, reportId: string) =>
    trx.deleteFrom('warning_reports').where('report_id', '=', reportId).execute(),
  /** Whether a warning still rests on a report that is not erased. */
  warningHasLiveReport: (trx: Transaction<DB>, warningId: string) =>
    trx
      .selectFrom('warning_reports')
      .innerJoin('reports', 'reports.id', 'warning_reports.report_id')
      .select('reports.id')
      .where('warning_reports.warning_id', '=', warningId)
      .where('reports.erased_at', 'is', null)
      .executeTakeFirst(),
  /** A warning's blind-index rows (phone and plate digests) and any alerts not yet sent with its text. */
  async deleteWarningLookups(trx: Transaction<DB>, warningId: string) {
    await trx.deleteFrom('warning_identifiers').where('warning_id', '=', warningId).execute();
    await trx.deleteFrom('alert_outbox').where('warning_id', '=', warningId).where('sent_at', 'is', null).execute();
  },
  /** A draft never left the charity: it goes entirely. */
  async deleteDraftWarning(trx: Transaction<DB>, warningId: string) {
    await trx.deleteFrom('warning_events').where('warning_id', '=', warningId).execute();
    await trx.deleteFrom('warning_reports').where('warning_id', '=', warningId).execute();
    await trx.deleteFrom('warnings').where('id', '=', warningId).execute();
  },
  /** A warning that was published keeps its type, area, dates and status; its words go, and it stops being shown. */
  blankWarning: (
    trx: Transaction<DB>,
    warningId: string,
    set: { title_enc: string; body_enc: string; perpetrator_enc: string },
    withdrawAt: string | null,
  ) =>
    trx
      .updateTable('warnings')
      .set({
        ...set,
        area_enc: null,
        withdrawn_reason_enc: null,
        ...(withdrawAt ? { status: 'withdrawn' as const, withdrawn_at: withdrawAt } : {}),
      })
      .where('id', '=', warningId)
      .execute(),
  warningEvents: (trx: Transaction<DB>, warningId: string) =>
    trx.selectFrom('warning_events').select('id').where('warning_id', '=', warningId).execute(),
  setWarningEventDetail: (trx: Transaction<DB>, id: string, detailEnc: string) =>
    trx.updateTable('warning_events').set({ detail_enc: detailEnc }).where('id', '=', id).execute(),

  // ---- person records ----

  /** Records merged into any of `ids` (they hold the merged names and notes). */
  mergedInto: (db: Executor, ids: string[]) =>
    db.selectFrom('people').select('id').where('merged_into', 'in', ids).execute(),
  personInOrg: (db: Executor, orgId: string, personId: string) =>
    db
      .selectFrom('people')
      .select(['id', 'merged_into'])
      .where('id', '=', personId)
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
  /** Reports of the person that are not erased, besides `except`. */
  liveReportsOf: (trx: Executor, ids: string[], except?: string) => {
    let query = trx
      .selectFrom('reports')
      .select(['id', 'reference'])
      .where('person_id', 'in', ids)
      .where('erased_at', 'is', null);
    if (except) query = query.where('id', '<>', except);
    return query.orderBy('submitted_at').orderBy('id').execute();
  },
  async deletePeople(trx: Transaction<DB>, ids: string[]) {
    const entries = trx.selectFrom('reach_me_entries').select('id').where('person_id', 'in', ids);
    // The police's contact requests stay with their case; only the pointers to the charity's record go.
    await trx
      .updateTable('case_contact_requests')
      .set({ reach_me_id: null })
      .where('reach_me_id', 'in', entries)
      .execute();
    await trx.updateTable('case_contact_requests').set({ person_id: null }).where('person_id', 'in', ids).execute();
    await trx.deleteFrom('contact_attempts').where('person_id', 'in', ids).execute();
    await trx.deleteFrom('contact_points').where('person_id', 'in', ids).execute();
    await trx.deleteFrom('reach_me_entries').where('person_id', 'in', ids).execute();
    await trx.deleteFrom('person_events').where('person_id', 'in', ids).execute();
    await trx.updateTable('reports').set({ person_id: null }).where('person_id', 'in', ids).execute();
    await trx.deleteFrom('people').where('id', 'in', ids).execute();
  },

  closeOpenPersonErasures: (trx: Transaction<DB>, ids: string[], at: string) =>
    trx
      .updateTable('person_erasures')
      .set({ cancelled_at: at })
      .where('person_id', 'in', ids)
      .where('confirmed_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .execute(),

  // ---- members ----

  async deleteMember(trx: Transaction<DB>, memberId: string) {
    await trx.deleteFrom('member_sessions').where('member_id', '=', memberId).execute();
    await trx.deleteFrom('alert_outbox').where('member_id', '=', memberId).execute();
    const deleted = await trx.deleteFrom('members').where('id', '=', memberId).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  },
};
