import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { enhancedRightsByDefault } from './enhancedRights.ts';
import { STAGE_ORDER, TIMELINE_EVENT_TYPES, type TimelineEventType } from './victimsCodeRules.ts';
import { addWorkingDays, londonDate } from '../calendar/index.ts';
import { BankHolidayCalendar, type BankHolidaySource } from '../calendar/index.ts';
import { syncAttritionWatch } from '../attrition/index.ts';

export class PoliceCaseError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid' | 'already-resolved',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const realDate = isoDate('Enter a real date as YYYY-MM-DD, like 2026-11-27');

export const timelineEventInput = z
  .object({
    type: z.enum(TIMELINE_EVENT_TYPES, { message: 'Choose what happened' }),
    occurredAt: z.string().datetime({ offset: true, message: 'Enter when it happened as a date and time' }),
    bailEndsOn: realDate.optional(),
    outcomeType: z
      .number()
      .int()
      .min(1, 'The Home Office outcome type is 1 to 22')
      .max(22, 'The Home Office outcome type is 1 to 22')
      .optional(),
    /** Free text for the officer and liaison; encrypted. */
    summary: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'closed' && v.outcomeType === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['outcomeType'],
        message: 'Give the Home Office outcome type (1 to 22) to close the case',
      });
    if (v.type !== 'closed' && v.outcomeType !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['outcomeType'],
        message: 'An outcome type is only given when closing the case',
      });
    if (v.type === 'bailed' && v.bailEndsOn === undefined)
      ctx.addIssue({ code: 'custom', path: ['bailEndsOn'], message: 'Give the date bail ends' });
    if (v.bailEndsOn !== undefined && v.type !== 'bailed' && v.type !== 'bail-changed')
      ctx.addIssue({ code: 'custom', path: ['bailEndsOn'], message: 'A bail end date is only given for bail' });
  });
export type TimelineEventInput = z.input<typeof timelineEventInput>;

export const DUTY_HOW = ['mailbox', 'call', 'in-person', 'via-outreach'] as const;
export const dutyMetInput = z.object({
  how: z.enum(DUTY_HOW, { message: 'Choose how the person was told' }),
  note: z.string().trim().max(2000).optional(),
});
export const tellThroughCheckInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'Write what the person will read on Check your report')
    .max(1000, 'The update must be 1,000 characters or fewer'),
});
export const dutyNotMetInput = z.object({
  reason: z.string().trim().min(1, 'Say why the person was not told, and what contact was tried').max(2000),
});

export type DutyState = 'open' | 'due' | 'overdue' | 'met' | 'not-met';

export interface DutyView {
  id: string;
  caseId: string;
  eventId: string;
  event: TimelineEventType;
  dueOn: string;
  /** 'open' (due later), 'due' (today), 'overdue', 'met', 'not-met'. */
  state: DutyState;
  metAt: string | null;
  how: string | null;
}

export interface TimelineEventView {
  id: string;
  type: TimelineEventType;
  occurredAt: string;
  bailEndsOn: string | null;
  outcomeType: number | null;
  summary: string | null;
  actorKind: 'user' | 'token';
  actorId: string | null;
  recordedAt: string;
}

export interface MonthCompliance {
  /** 'YYYY-MM' of the due date. */
  month: string;
  due: number;
  metOnTime: number;
  /** metOnTime / due, 0..1. */
  rate: number;
}

/** What an actor may see of police cases (see PoliceCaseTimeline.scopeOf). */
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

export interface CaseListItem {
  id: string;
  crimeReference: string;
  stage: TimelineEventType | 'referred';
  /** The earliest deadline of an open duty. */
  nextDueOn: string | null;
  officer: string | null;
  createdAt: string;
}

const STAGE_RANK = new Map(STAGE_ORDER.map((t, i) => [t, i]));

/** The current stage: the type of the latest event by occurrence (ties: later in the stage order); 'referred' with no events. */
export function stageOf(events: readonly { type: string; occurredAt: string }[]): TimelineEventType | 'referred' {
  let best: { type: TimelineEventType; at: number; rank: number } | null = null;
  for (const e of events) {
    const at = Date.parse(e.occurredAt);
    const rank = STAGE_RANK.get(e.type as TimelineEventType) ?? -1;
    if (!best || at > best.at || (at === best.at && rank > best.rank))
      best = { type: e.type as TimelineEventType, at, rank };
  }
  return best?.type ?? 'referred';
}

export function dutyState(
  row: { due_on: string; resolved_at: string | null; met_at: string | null },
  today: string,
): DutyState {
  if (row.met_at) return 'met';
  if (row.resolved_at) return 'not-met';
  if (row.due_on < today) return 'overdue';
  if (row.due_on === today) return 'due';
  return 'open';
}

/**
 * The police case timeline and the Victims' Code clock. A case (police_cases,
 * created when a force accepts a referral) belongs to the force and, through
 * the referral, to the support organisation; both may read and record. Any
 * other organisation gets 'not-found'.
 */
export class PoliceCaseTimeline {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  today(): string {
    return londonDate(this.now());
  }

  /** The bank holiday calendar of any year: published lists, the standing rules past them, administrators' days on top. */
  async holidays(trx: Kysely<DB> | Transaction<DB> = this.db): Promise<BankHolidayCalendar> {
    return new BankHolidayCalendar(await trx.selectFrom('bank_holidays').select(['date', 'title', 'source']).execute());
  }

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
    const org = await trx.selectFrom('organisations').select('kind').where('id', '=', actor.orgId).executeTakeFirst();
    if (!org) return { side: 'none' };
    if (actor.kind === 'token')
      return org.kind === 'support'
        ? { side: 'support', orgId: actor.orgId }
        : { side: 'police', orgId: actor.orgId, officerId: null };
    const user = await trx
      .selectFrom('users')
      .select(['role', 'casework_role', 'disabled_at'])
      .where('id', '=', actor.id)
      .where('org_id', '=', actor.orgId)
      .executeTakeFirst();
    if (!user || user.disabled_at) return { side: 'none' };
    if (org.kind === 'support')
      return [user.role, user.casework_role].some((r) => r === 'caseworker' || r === 'liaison')
        ? { side: 'support', orgId: actor.orgId }
        : { side: 'none' };
    if (user.role === 'supervisor') return { side: 'police', orgId: actor.orgId, officerId: null };
    if (user.role === 'officer') return { side: 'police', orgId: actor.orgId, officerId: actor.id };
    return { side: 'none' };
  }

  private async caseFor(trx: Kysely<DB> | Transaction<DB>, caseId: string, actor: Actor) {
    const row = await trx
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
      .executeTakeFirst();
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
    return { ...row, side: scope.side, enhancedRights };
  }

  /**
   * The case's facts for another feature (messages, contact requests,
   * appointments) after the same access check as every case read: a
   * PoliceCaseError 'not-found' when the actor may not see it. Not audited (the caller audits its own use).
   */
  async caseOf(caseId: string, actor: Actor, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<CaseFacts> {
    const c = await this.caseFor(trx, caseId, actor);
    return {
      id: c.id,
      side: c.side,
      forceOrgId: c.police_org_id,
      forceName: c.force_name,
      supportOrgId: c.support_org_id,
      supportName: c.support_name,
      reportId: c.report_id,
      reportReference: c.side === 'support' ? c.reference : null,
      referralId: c.referral_id,
      level: c.level,
      officerId: c.officer_id,
      crimeReference: c.crime_reference,
      enhancedRights: c.enhancedRights,
      createdAt: c.created_at,
    };
  }

  /** The case as either side sees it (ids and facts, no personal data). Audited as a view. */
  async get(caseId: string, actor: Actor) {
    const c = await this.caseOf(caseId, actor);
    const events = await this.events(caseId, actor);
    const duties = await this.caseDuties(caseId, actor);
    await this.audit.record({
      ...auditActor(actor),
      action: 'police-case.viewed',
      targetKind: 'police_case',
      targetId: caseId,
    });
    return { ...c, stage: stageOf(events), events, duties };
  }

  /** The officer in the case as the pages name them (their email). */
  async officerName(officerId: string): Promise<string | null> {
    return (await actorNames(this.db, this.cipher, [{ kind: 'user', id: officerId }])).get(`user:${officerId}`) ?? null;
  }

  /** The cases an actor may see (see scopeOf), newest first, with stage and next open deadline; audited. */
  async list(actor: Actor, limit = 200): Promise<CaseListItem[]> {
    const scope = await this.scopeOf(actor);
    if (scope.side === 'none') return [];
    let q = this.db
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
    if (scope.side === 'police' && scope.officerId !== null)
      q = q.where('police_cases.officer_id', '=', scope.officerId);
    const rows = await q.orderBy('police_cases.created_at', 'desc').orderBy('police_cases.id').limit(limit).execute();
    const ids = rows.map((r) => r.id);
    const events = ids.length
      ? await this.db
          .selectFrom('case_timeline_events')
          .select(['case_id', 'type', 'occurred_at'])
          .where('case_id', 'in', ids)
          .execute()
      : [];
    const next = ids.length
      ? await this.db
          .selectFrom('duties')
          .select(['case_id', (eb) => eb.fn.min('due_on').as('next_due')])
          .where('case_id', 'in', ids)
          .where('resolved_at', 'is', null)
          .groupBy('case_id')
          .execute()
      : [];
    const nextDue = new Map(next.map((n) => [n.case_id, n.next_due as string]));
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: 'user', id: r.officer_id })),
    );
    await this.audit.record({
      ...auditActor(actor),
      action: 'police-case.list-viewed',
      targetKind: 'organisation',
      targetId: actor.orgId,
      detail: { count: rows.length },
    });
    return rows.map((r) => ({
      id: r.id,
      crimeReference: r.crime_reference,
      stage: stageOf(
        events.filter((e) => e.case_id === r.id).map((e) => ({ type: e.type, occurredAt: e.occurred_at })),
      ),
      nextDueOn: nextDue.get(r.id) ?? null,
      officer: r.officer_id ? (names.get(`user:${r.officer_id}`) ?? null) : null,
      createdAt: r.created_at,
    }));
  }

  /** Overrides the enhanced-rights default (for example domestic abuse, which the report form cannot tell). */
  async setEnhancedRights(caseId: string, actor: Actor, enhanced: boolean): Promise<void> {
    await this.caseFor(this.db, caseId, actor);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('police_cases')
        .set({ enhanced_rights: enhanced ? 1 : 0 })
        .where('id', '=', caseId)
        .execute();
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.enhanced-rights',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { enhanced },
        },
        trx,
      );
    });
  }

  /** Records a dated, attributed event; creates the "inform the victim" duty the rules call for, in the same transaction. */
  async recordEvent(
    caseId: string,
    actor: Actor,
    input: TimelineEventInput,
  ): Promise<{ eventId: string; dutyId: string | null; dueOn: string | null }> {
    const parsed = timelineEventInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PoliceCaseError('invalid', String(issue?.path[0] ?? 'type'), issue?.message ?? 'Invalid event');
    }
    const v = parsed.data;
    // The latest event sets the case's stage, so one dated years ahead would fix it for ever.
    if (Date.parse(v.occurredAt) > this.now().getTime() + DAY_MS)
      throw new PoliceCaseError('invalid', 'occurredAt', 'The date it happened cannot be more than a day from now');
    return this.db.transaction().execute(async (trx) => {
      const c = await this.caseFor(trx, caseId, actor);
      const occurredAt = new Date(v.occurredAt).toISOString();
      const occurredOn = londonDate(new Date(occurredAt));
      const recordedAt = this.now().toISOString();
      const eventId = randomId();
      await trx
        .insertInto('case_timeline_events')
        .values({
          id: eventId,
          case_id: caseId,
          type: v.type,
          occurred_at: occurredAt,
          occurred_on: occurredOn,
          bail_end_date: v.bailEndsOn ?? null,
          outcome_type: v.outcomeType ?? null,
          detail_enc: this.cipher.encrypt(
            JSON.stringify({ summary: v.summary ?? null }),
            'case_timeline_events.detail',
          ),
          actor_kind: actor.kind,
          actor_id: actor.id,
          recorded_at: recordedAt,
        })
        .execute();
      const rule = await trx
        .selectFrom('victims_code_rules')
        .selectAll()
        .where('event_type', '=', v.type)
        .executeTakeFirst();
      let dutyId: string | null = null;
      let dueOn: string | null = null;
      const days = rule ? (c.enhancedRights ? rule.days_enhanced : rule.days_standard) : null;
      if (rule && rule.must_inform === 1 && days !== null) {
        dutyId = randomId();
        dueOn = addWorkingDays(occurredOn, days, await this.holidays(trx));
        await trx
          .insertInto('duties')
          .values({
            id: dutyId,
            event_id: eventId,
            case_id: caseId,
            event_type: v.type,
            police_org_id: c.police_org_id,
            support_org_id: c.support_org_id,
            due_on: dueOn,
            created_at: recordedAt,
            resolved_at: null,
            met_at: null,
            how: null,
            note_enc: null,
            not_met_reason_enc: null,
            resolved_by_kind: null,
            resolved_by_id: null,
          })
          .execute();
      }
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.event',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { type: v.type, dutyId, dueOn },
        },
        trx,
      );
      return { eventId, dutyId, dueOn };
    });
  }

  async events(caseId: string, actor: Actor): Promise<TimelineEventView[]> {
    await this.caseFor(this.db, caseId, actor);
    const rows = await this.db
      .selectFrom('case_timeline_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('occurred_at')
      .orderBy('recorded_at')
      .execute();
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        type: r.type as TimelineEventType,
        occurredAt: r.occurred_at,
        bailEndsOn: r.bail_end_date,
        outcomeType: r.outcome_type,
        summary: (
          JSON.parse(await this.cipher.decrypt(r.detail_enc, 'case_timeline_events.detail')) as {
            summary: string | null;
          }
        ).summary,
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        recordedAt: r.recorded_at,
      })),
    );
  }

  async stage(caseId: string, actor: Actor): Promise<TimelineEventType | 'referred'> {
    await this.caseFor(this.db, caseId, actor);
    const rows = await this.db
      .selectFrom('case_timeline_events')
      .select(['type', 'occurred_at'])
      .where('case_id', '=', caseId)
      .execute();
    return stageOf(rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at })));
  }

  private dutyQuery() {
    return this.db
      .selectFrom('duties')
      .select([
        'duties.id',
        'duties.case_id',
        'duties.event_id',
        'duties.due_on',
        'duties.resolved_at',
        'duties.met_at',
        'duties.how',
        'duties.event_type as type',
      ]);
  }

  private toView(
    r: {
      id: string;
      case_id: string;
      event_id: string;
      due_on: string;
      resolved_at: string | null;
      met_at: string | null;
      how: string | null;
      type: string;
    },
    today: string,
  ): DutyView {
    return {
      id: r.id,
      caseId: r.case_id,
      eventId: r.event_id,
      event: r.type as TimelineEventType,
      dueOn: r.due_on,
      state: dutyState(r, today),
      metAt: r.met_at,
      how: r.how,
    };
  }

  async caseDuties(caseId: string, actor: Actor): Promise<DutyView[]> {
    await this.caseFor(this.db, caseId, actor);
    const today = this.today();
    return (await this.dutyQuery().where('duties.case_id', '=', caseId).orderBy('duties.due_on').execute()).map((r) =>
      this.toView(r, today),
    );
  }

  /**
   * Unresolved duties of an organisation (force or support organisation), oldest deadline first:
   * 'overdue' (due before today), 'due' (due today), 'open' (every unresolved duty).
   */
  async duties(filter: {
    state: 'overdue' | 'due' | 'open';
    orgId: string;
    officerId?: string;
    limit?: number;
  }): Promise<DutyView[]> {
    const today = this.today();
    const org = await this.db
      .selectFrom('organisations')
      .select('kind')
      .where('id', '=', filter.orgId)
      .executeTakeFirst();
    if (!org) return [];
    const column = org.kind === 'police' ? 'duties.police_org_id' : 'duties.support_org_id';
    let q = this.dutyQuery().where(column, '=', filter.orgId).where('duties.resolved_at', 'is', null);
    // An officer's list: only the cases they hold.
    if (filter.officerId !== undefined)
      q = q.where('duties.case_id', 'in', (eb) =>
        eb
          .selectFrom('police_cases')
          .select('id')
          .where('officer_id', '=', filter.officerId as string)
          .where('police_org_id', '=', filter.orgId),
      );
    if (filter.state === 'overdue') q = q.where('duties.due_on', '<', today);
    if (filter.state === 'due') q = q.where('duties.due_on', '=', today);
    const rows = await q
      .orderBy('duties.due_on')
      .orderBy('duties.id')
      .limit(filter.limit ?? 500)
      .execute();
    return rows.map((r) => this.toView(r, today));
  }

  /**
   * The open duties an actor may see (scopeOf: the support organisation's,
   * the force's for supervisors and tokens, an officer's own cases), with the
   * case's crime reference; the lists of both sides and the API use this.
   */
  async dutiesFor(actor: Actor, state: 'overdue' | 'due' | 'open'): Promise<(DutyView & { crimeReference: string })[]> {
    const scope = await this.scopeOf(actor);
    if (scope.side === 'none') return [];
    const duties = await this.duties({
      state,
      orgId: scope.orgId,
      officerId: scope.side === 'police' && scope.officerId !== null ? scope.officerId : undefined,
    });
    await this.audit.record({
      ...auditActor(actor),
      action: 'police-case.duties-viewed',
      targetKind: 'organisation',
      targetId: actor.orgId,
      detail: { state, count: duties.length },
    });
    const ids = [...new Set(duties.map((d) => d.caseId))];
    const refs = ids.length
      ? new Map(
          (
            await this.db.selectFrom('police_cases').select(['id', 'crime_reference']).where('id', 'in', ids).execute()
          ).map((r) => [r.id, r.crime_reference]),
        )
      : new Map<string, string>();
    return duties.map((d) => ({ ...d, crimeReference: refs.get(d.caseId) ?? '' }));
  }

  private async dutyFor(trx: Transaction<DB>, dutyId: string, actor: Actor) {
    const row = await trx
      .selectFrom('duties')
      .select(['id', 'case_id', 'police_org_id', 'support_org_id', 'resolved_at'])
      .where('id', '=', dutyId)
      .executeTakeFirst();
    const notFound = () => new PoliceCaseError('not-found', 'duty', 'There is no such duty for your organisation.');
    if (!row || (row.police_org_id !== actor.orgId && row.support_org_id !== actor.orgId)) throw notFound();
    try {
      await this.caseFor(trx, row.case_id, actor);
    } catch (error) {
      if (error instanceof PoliceCaseError) throw notFound();
      throw error;
    }
    if (row.resolved_at) throw new PoliceCaseError('already-resolved', 'duty', 'This duty has already been recorded.');
    return row;
  }

  /** The person was told (how; an optional note, encrypted). */
  async markMet(dutyId: string, actor: Actor, input: z.input<typeof dutyMetInput>): Promise<void> {
    const parsed = dutyMetInput.safeParse(input);
    if (!parsed.success)
      throw new PoliceCaseError(
        'invalid',
        String(parsed.error.issues[0]?.path[0] ?? 'how'),
        parsed.error.issues[0]?.message ?? 'Invalid',
      );
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const duty = await this.dutyFor(trx, dutyId, actor);
      await trx
        .updateTable('duties')
        .set({
          resolved_at: at,
          met_at: at,
          met_on: londonDate(new Date(at)),
          how: parsed.data.how,
          note_enc: parsed.data.note ? this.cipher.encrypt(parsed.data.note, 'duties.note') : null,
          resolved_by_kind: actor.kind,
          resolved_by_id: actor.id,
        })
        .where('id', '=', dutyId)
        .where('resolved_at', 'is', null)
        .execute();
      await syncAttritionWatch(trx, { cases: [duty.case_id] });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.duty-met',
          targetKind: 'police_case',
          targetId: duty.case_id,
          detail: { dutyId, how: parsed.data.how },
        },
        trx,
      );
    });
  }

  /**
   * The liaison told the person through "Check your report": the words (checked
   * and maybe edited by the liaison) become an update the person reads there, and
   * the duty is met by that method, now. Only the support organisation's side may.
   */
  async tellThroughCheck(dutyId: string, actor: Actor, text: string): Promise<void> {
    const parsed = tellThroughCheckInput.safeParse({ text });
    if (!parsed.success)
      throw new PoliceCaseError(
        'invalid',
        'text',
        parsed.error.issues[0]?.message ?? 'Write what the person will read',
      );
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const duty = await this.dutyFor(trx, dutyId, actor);
      if (duty.support_org_id !== actor.orgId)
        throw new PoliceCaseError('not-found', 'duty', 'There is no such duty for your organisation.');
      const report = await trx
        .selectFrom('police_cases')
        .innerJoin('referrals', 'referrals.id', 'police_cases.referral_id')
        .select('referrals.report_id')
        .where('police_cases.id', '=', duty.case_id)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('duties')
        .set({
          resolved_at: at,
          met_at: at,
          met_on: londonDate(new Date(at)),
          how: 'check-your-report',
          note_enc: null,
          resolved_by_kind: actor.kind,
          resolved_by_id: actor.id,
        })
        .where('id', '=', dutyId)
        .where('resolved_at', 'is', null)
        .execute();
      await trx
        .insertInto('person_updates')
        .values({
          id: randomId(),
          report_id: report.report_id,
          org_id: actor.orgId,
          text_enc: this.cipher.encrypt(parsed.data.text, 'person_updates.text'),
          duty_id: dutyId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          created_at: at,
        })
        .execute();
      await syncAttritionWatch(trx, { cases: [duty.case_id] });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.duty-met',
          targetKind: 'police_case',
          targetId: duty.case_id,
          detail: { dutyId, how: 'check-your-report' },
        },
        trx,
      );
    });
  }

  /** The person could not be told: why, with the contact attempt (encrypted). Leaves the open lists; counts as not met. */
  async recordNotMet(dutyId: string, actor: Actor, reason: string): Promise<void> {
    const parsed = dutyNotMetInput.safeParse({ reason });
    if (!parsed.success) throw new PoliceCaseError('invalid', 'reason', parsed.error.issues[0]?.message ?? 'Invalid');
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const duty = await this.dutyFor(trx, dutyId, actor);
      await trx
        .updateTable('duties')
        .set({
          resolved_at: at,
          not_met_reason_enc: this.cipher.encrypt(parsed.data.reason, 'duties.not_met_reason'),
          resolved_by_kind: actor.kind,
          resolved_by_id: actor.id,
        })
        .where('id', '=', dutyId)
        .where('resolved_at', 'is', null)
        .execute();
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.duty-not-met',
          targetKind: 'police_case',
          targetId: duty.case_id,
          detail: { dutyId },
        },
        trx,
      );
    });
  }

  async notMetReason(dutyId: string, actor: Actor): Promise<string | null> {
    const row = await this.db
      .selectFrom('duties')
      .select(['case_id', 'not_met_reason_enc'])
      .where('id', '=', dutyId)
      .executeTakeFirst();
    if (!row) throw new PoliceCaseError('not-found', 'duty', 'There is no such duty for your organisation.');
    await this.caseFor(this.db, row.case_id, actor);
    return row.not_met_reason_enc ? this.cipher.decrypt(row.not_met_reason_enc, 'duties.not_met_reason') : null;
  }

  /**
   * Victims' Code compliance per month of due date, for one force: duties met on
   * or before their due date (UK date of met_at) / duties due that month. Only
   * deadlines up to today count (a duty due later this month is not yet a miss);
   * duties recorded as not met count as due and not met.
   */
  async complianceByMonth(forceOrgId: string): Promise<MonthCompliance[]> {
    const rows = await this.db
      .selectFrom('duties')
      .select((eb) => [
        sql<string>`substr(due_on, 1, 7)`.as('month'),
        eb.fn.countAll<number | string>().as('due'),
        sql<number | string>`sum(case when met_on is not null and met_on <= due_on then 1 else 0 end)`.as('met'),
      ])
      .where('police_org_id', '=', forceOrgId)
      .where('due_on', '<=', this.today())
      .groupBy(sql`substr(due_on, 1, 7)`)
      .orderBy(sql`substr(due_on, 1, 7)`)
      .execute();
    return rows.map((r) => {
      const due = Number(r.due);
      const metOnTime = Number(r.met);
      return { month: r.month, due, metOnTime, rate: due ? metOnTime / due : 0 };
    });
  }

  // ---- bank holidays (administrators) ----

  /** The bank holidays of the years `from`–`to`, and which of those years have no published list (their days come from the standing rules). */
  async listHolidays(
    from: number,
    to: number,
  ): Promise<{ holidays: { date: string; title: string; source: BankHolidaySource }[]; rulesOnlyYears: number[] }> {
    const calendar = await this.holidays();
    const rulesOnlyYears: number[] = [];
    for (let y = from; y <= to; y++) if (!calendar.hasPublishedList(y)) rulesOnlyYears.push(y);
    return { holidays: calendar.between(from, to), rulesOnlyYears };
  }

  /** A one-off day (or one an administrator had removed). A day that is already a holiday, published or by the rules, is refused. */
  async addHoliday(actor: Actor, input: { date: string; title: string }): Promise<void> {
    const parsed = z
      .object({
        date: realDate,
        title: z
          .string()
          .trim()
          .min(1, 'Enter the name of the holiday')
          .max(100, 'The name must be 100 characters or fewer'),
      })
      .safeParse(input);
    if (!parsed.success)
      throw new PoliceCaseError(
        'invalid',
        String(parsed.error.issues[0]?.path[0] ?? 'date'),
        parsed.error.issues[0]?.message ?? 'Invalid',
      );
    await this.db.transaction().execute(async (trx) => {
      if ((await this.holidays(trx)).has(parsed.data.date))
        throw new PoliceCaseError('invalid', 'date', 'That date is already a bank holiday');
      await trx
        .deleteFrom('bank_holidays')
        .where('date', '=', parsed.data.date)
        .where('source', '=', 'cancelled')
        .execute();
      await trx
        .insertInto('bank_holidays')
        .values({
          date: parsed.data.date,
          title: parsed.data.title,
          source: 'admin',
          added_by_kind: actor.kind,
          added_by_id: actor.id,
          added_at: this.now().toISOString(),
        })
        .execute();
      await this.audit.record(
        { ...auditActor(actor), action: 'bank-holiday.added', targetKind: 'bank_holiday', targetId: parsed.data.date },
        trx,
      );
    });
  }

  /**
   * Removes a bank holiday. A one-off day is deleted; a published or computed
   * day is kept as 'cancelled', so neither the list nor the rules bring it back.
   */
  async removeHoliday(actor: Actor, date: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const holiday = (await this.holidays(trx)).lookup(date);
      if (!holiday) throw new PoliceCaseError('not-found', 'date', 'That date is not a bank holiday');
      if (holiday.source === 'admin') await trx.deleteFrom('bank_holidays').where('date', '=', date).execute();
      else if (holiday.source === 'bundled')
        await trx
          .updateTable('bank_holidays')
          .set({
            source: 'cancelled',
            added_by_kind: actor.kind,
            added_by_id: actor.id,
            added_at: this.now().toISOString(),
          })
          .where('date', '=', date)
          .execute();
      else
        await trx
          .insertInto('bank_holidays')
          .values({
            date,
            title: holiday.title,
            source: 'cancelled',
            added_by_kind: actor.kind,
            added_by_id: actor.id,
            added_at: this.now().toISOString(),
          })
          .execute();
      await this.audit.record(
        { ...auditActor(actor), action: 'bank-holiday.removed', targetKind: 'bank_holiday', targetId: date },
        trx,
      );
    });
  }
}
