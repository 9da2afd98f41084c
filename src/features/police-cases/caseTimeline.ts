import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { londonDate } from '../calendar/index.ts';
import type { CaseFacts, PoliceCaseScope } from './caseScope.ts';
import { caseTimelineRepository as repo } from './caseTimelineRepository.ts';
import type { Duties } from './duties.ts';
import type { DutyLists, DutyView } from './dutyLists.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { timelineEventInput, type TimelineEventInput } from './schemas.ts';
import { STAGE_ORDER, type TimelineEventType } from './victimsCodeRules.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/**
 * The police case timeline: a dated, attributed event log on each case (free
 * text encrypted), from which the stage is derived, never stored. Recording an
 * event opens the duty the Victims' Code calls for in the same transaction.
 */
export class CaseTimeline {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly scope: PoliceCaseScope,
    private readonly duties: Duties,
    private readonly dutyLists: DutyLists,
    private readonly now: () => Date,
  ) {}

  /** The case as either side sees it (ids and facts, no personal data), with its timeline and duties. Audited as a view. */
  async get(
    caseId: string,
    actor: Actor,
  ): Promise<CaseFacts & { stage: TimelineEventType | 'referred'; events: TimelineEventView[]; duties: DutyView[] }> {
    const c = await this.scope.caseOf(caseId, actor);
    const events = await this.events(caseId, actor);
    const duties = await this.dutyLists.caseDuties(caseId, actor);
    await this.audit.record({
      ...auditActor(actor),
      action: 'police-case.viewed',
      targetKind: 'police_case',
      targetId: caseId,
    });
    return { ...c, stage: stageOf(events), events, duties };
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
      const c = await this.scope.caseOf(caseId, actor, trx);
      const occurredAt = new Date(v.occurredAt).toISOString();
      // Day 0 of every deadline is the UK date of the event.
      const occurredOn = londonDate(new Date(occurredAt));
      const recordedAt = this.now().toISOString();
      const eventId = randomId();
      await repo.insert(trx, {
        id: eventId,
        case_id: caseId,
        type: v.type,
        occurred_at: occurredAt,
        occurred_on: occurredOn,
        bail_end_date: v.bailEndsOn ?? null,
        outcome_type: v.outcomeType ?? null,
        detail_enc: this.cipher.encrypt(JSON.stringify({ summary: v.summary ?? null }), 'case_timeline_events.detail'),
        actor_kind: actor.kind,
        actor_id: actor.id,
        recorded_at: recordedAt,
      });
      const { dutyId, dueOn } = await this.duties.openFor(trx, c, {
        id: eventId,
        type: v.type,
        occurredOn,
        recordedAt,
      });
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
    await this.scope.caseOf(caseId, actor);
    const rows = await repo.ofCase(this.db, caseId);
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
    await this.scope.caseOf(caseId, actor);
    const rows = await repo.stageFacts(this.db, caseId);
    return stageOf(rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at })));
  }
}
