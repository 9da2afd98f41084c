import type { Kysely } from 'kysely';
import type { DB, ErasedBecause } from '../../platform/db/schema.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { erasedSentence } from '../vocabulary/index.ts';
import type { Erasure } from './erasure.ts';
import type { HoldView, LegalHolds } from './legalHolds.ts';
import { RetentionError } from './legalHolds.ts';
import { erasureRepository } from './erasureRepository.ts';
import { retentionRepository as repo, type After } from './retentionRepository.ts';
import {
  DEFAULT_SCHEDULE,
  RULES,
  SCHEDULE_FIELDS,
  cutoffs,
  monthsBefore,
  requestDueAt,
  type RetentionSchedule,
} from './schedule.ts';
import { yieldToRequests } from '../../platform/eventLoop.ts';

/** How many records one query finds at a time; each report is then erased in its own transaction. */
const BATCH = 100;

export interface RetentionRun {
  uncontacted: number;
  closed: number;
  members: number;
  auditEntries: number;
}

/** What the case page shows about keeping and erasing one report. */
export interface CaseRetention {
  erased: { at: string; because: ErasedBecause; sentence: string } | null;
  hold: HoldView | null;
  /** The person asked for deletion through Check your report: when, and when it is due. */
  deletion: { requestedAt: string; dueAt: string; overdue: boolean } | null;
}

/**
 * The retention schedule of each support organisation (defaults until an
 * administrator changes them; every change audited), the nightly run that
 * applies it, and erasing a report at the person's request.
 */
export class RetentionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly erasure: Erasure,
    private readonly holds: LegalHolds,
    private readonly now: () => Date,
  ) {}

  async schedule(orgId: string): Promise<RetentionSchedule & { changedAt: string | null }> {
    const row = await repo.settings(this.db, orgId);
    if (!row) return { ...DEFAULT_SCHEDULE, changedAt: null };
    return {
      uncontactedMonths: row.uncontacted_months,
      closedYears: row.closed_years,
      memberInactiveMonths: row.member_inactive_months,
      auditYears: row.audit_years,
      requestDays: row.request_days,
      changedAt: row.updated_at,
    };
  }

  async setSchedule(actor: Actor, schedule: RetentionSchedule): Promise<void> {
    const before = await this.schedule(actor.orgId);
    const changed = SCHEDULE_FIELDS.filter((f) => before[f] !== schedule[f]);
    if (!changed.length) return;
    for (const f of SCHEDULE_FIELDS) {
      const { min, max } = RULES[f];
      if (!Number.isInteger(schedule[f]) || schedule[f] < min || schedule[f] > max)
        throw new RetentionError(f, `${RULES[f].label}: enter a number between ${min} and ${max} ${RULES[f].unit}`);
    }
    await this.db.transaction().execute(async (trx) => {
      await repo.saveSettings(trx, {
        org_id: actor.orgId,
        uncontacted_months: schedule.uncontactedMonths,
        closed_years: schedule.closedYears,
        member_inactive_months: schedule.memberInactiveMonths,
        audit_years: schedule.auditYears,
        request_days: schedule.requestDays,
        updated_at: this.now().toISOString(),
        updated_by: actor.kind === 'user' ? actor.id : null,
      });
      await this.audit.record(
        {
          actorKind: actor.kind === 'user' ? 'user' : 'api-token',
          actorId: actor.id,
          orgId: actor.orgId,
          action: 'retention.schedule-changed',
          targetKind: 'organisation',
          targetId: actor.orgId,
          detail: Object.fromEntries(changed.map((f) => [f, `${before[f]}→${schedule[f]}`])),
        },
        trx,
      );
    });
  }

  /** Deletion requests not acted on yet, oldest first, with their due dates (the administrators' page). */
  async openRequests(orgId: string) {
    const schedule = await this.schedule(orgId);
    const nowIso = this.now().toISOString();
    return (await repo.openDeletionRequests(this.db, orgId, 200)).map((r) => {
      const dueAt = requestDueAt(r.requested_at, schedule).toISOString();
      return {
        reference: r.reference,
        requestedAt: r.requested_at,
        dueAt,
        overdue: dueAt < nowIso,
        held: Boolean(r.held),
      };
    });
  }

  async casePanel(orgId: string, reportId: string): Promise<CaseRetention> {
    const report = await repo.reportInOrg(this.db, orgId, reportId);
    if (!report) return { erased: null, hold: null, deletion: null };
    if (report.erased_at && report.erased_because)
      return {
        erased: {
          at: report.erased_at,
          because: report.erased_because,
          sentence: erasedSentence(report.erased_because, report.erased_at),
        },
        hold: null,
        deletion: null,
      };
    const request = await repo.deletionRequest(this.db, reportId);
    const deletion = request ? this.due(request.requested_at, await this.schedule(orgId)) : null;
    return { erased: null, hold: await this.holds.inForce(reportId), deletion };
  }

  private due(requestedAt: string, schedule: RetentionSchedule) {
    const dueAt = requestDueAt(requestedAt, schedule).toISOString();
    return { requestedAt, dueAt, overdue: dueAt < this.now().toISOString() };
  }

  /**
   * A caseworker acts on the person's deletion request from the case page:
   * only when the person asked, and never while a legal hold is in force.
   */
  async eraseOnRequest(actor: Actor, reportId: string): Promise<void> {
    const report = await repo.reportInOrg(this.db, actor.orgId, reportId);
    if (!report) throw new RetentionError('erase', 'There is no such report in your organisation');
    if (report.erased_at) throw new RetentionError('erase', 'This report has already been erased');
    if (!(await repo.deletionRequest(this.db, reportId)))
      throw new RetentionError('erase', 'The person has not asked for this report to be deleted');
    const outcome = await this.erasure.eraseReport(reportId, 'request', actor);
    if (outcome === 'held')
      throw new RetentionError(
        'erase',
        'This report is on legal hold, so it cannot be erased until the hold is released. The person sees that it is kept for now.',
      );
    if (outcome !== 'erased') throw new RetentionError('erase', 'This report has already been erased');
  }

  /**
   * The nightly run: each support organisation's schedule, applied in
   * batches. Each report is erased in its own transaction, so a run that stops
   * part-way loses nothing and the next one carries on with what is left.
   * Legal holds are skipped. Audit entries are removed from the start of the
   * chain only, up to the longest period any organisation keeps them.
   */
  async apply(): Promise<RetentionRun> {
    const run: RetentionRun = { uncontacted: 0, closed: 0, members: 0, auditEntries: 0 };
    const now = this.now();
    for (const { id: orgId } of await repo.supportOrganisations(this.db)) {
      const due = cutoffs(now, await this.schedule(orgId));
      run.uncontacted += await this.eraseAll((after) =>
        repo.dueUncontacted(this.db, orgId, due.uncontacted.toISOString(), BATCH, after),
      );
      run.closed += await this.eraseAll((after) =>
        repo.dueClosed(this.db, orgId, due.closed.toISOString(), BATCH, after),
      );
      run.members += await this.removeMembers(orgId, due.memberInactive.toISOString());
    }
    const longest = Math.max(
      DEFAULT_SCHEDULE.auditYears,
      ...(await repo.allAuditYears(this.db)).map((r) => r.audit_years),
    );
    run.auditEntries = await this.audit.trimBefore(monthsBefore(now, longest * 12));
    return run;
  }

  /**
   * Erases what `find` finds, a batch at a time, each batch starting after
   * the last one (a report a hold kept meanwhile is not found again). Between
   * reports it lets the event loop serve requests: on SQLite every statement
   * runs synchronously, so a long run would otherwise hold up the site.
   */
  private async eraseAll(find: (after?: After) => Promise<{ id: string; submitted_at: string }[]>): Promise<number> {
    let erased = 0;
    let after: After | undefined;
    for (;;) {
      const batch = await find(after);
      for (const { id } of batch) {
        if ((await this.erasure.eraseReport(id, 'retention', null)) === 'erased') erased += 1;
        await yieldToRequests();
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return erased;
      after = { submittedAt: last.submitted_at, id: last.id };
    }
  }

  private async removeMembers(orgId: string, before: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const batch = await repo.dueMembers(this.db, orgId, before, BATCH);
      for (const { id } of batch) {
        removed += await this.db.transaction().execute(async (trx) => {
          const gone = await erasureRepository.deleteMember(trx, id);
          if (gone)
            await this.audit.record(
              {
                actorKind: 'system',
                orgId,
                action: 'member.erased',
                targetKind: 'member',
                targetId: id,
                detail: { because: 'retention' },
              },
              trx,
            );
          return gone;
        });
        await yieldToRequests();
      }
      if (batch.length < BATCH) return removed;
    }
  }
}
