import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { londonDate } from '../calendar/index.ts';
import type { PoliceCaseScope } from './caseScope.ts';
import { dutyRepository as repo } from './dutyRepository.ts';
import { policeCaseRepository } from './policeCaseRepository.ts';
import type { TimelineEventType } from './victimsCodeRules.ts';

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

function toView(
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

/** The Victims' Code duties as lists: a case's, an organisation's open ones, and what an actor may see. States count from today in the UK. */
export class DutyLists {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly scope: PoliceCaseScope,
    private readonly now: () => Date,
  ) {}

  today(): string {
    return londonDate(this.now());
  }

  async caseDuties(caseId: string, actor: Actor): Promise<DutyView[]> {
    await this.scope.caseOf(caseId, actor);
    const today = this.today();
    return (await repo.ofCase(this.db, caseId)).map((r) => toView(r, today));
  }

  /**
   * Unresolved duties of an organisation (force or support organisation), oldest deadline first:
   * 'overdue' (due before today), 'due' (due today), 'open' (every unresolved duty).
   */
  async forOrganisation(filter: {
    state: 'overdue' | 'due' | 'open';
    orgId: string;
    officerId?: string;
    limit?: number;
  }): Promise<DutyView[]> {
    const today = this.today();
    const org = await policeCaseRepository.orgKind(this.db, filter.orgId);
    if (!org) return [];
    const rows = await repo.unresolved(this.db, {
      side: org.kind === 'police' ? 'police' : 'support',
      orgId: filter.orgId,
      officerId: filter.officerId,
      state: filter.state,
      today,
      limit: filter.limit ?? 500,
    });
    return rows.map((r) => toView(r, today));
  }

  /**
   * The open duties an actor may see (scopeOf: the support organisation's,
   * the force's for supervisors and tokens, an officer's own cases), with the
   * case's crime reference; the lists of both sides and the API use this.
   */
  async dutiesFor(actor: Actor, state: 'overdue' | 'due' | 'open'): Promise<(DutyView & { crimeReference: string })[]> {
    const scope = await this.scope.scopeOf(actor);
    if (scope.side === 'none') return [];
    const duties = await this.forOrganisation({
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
      ? new Map((await policeCaseRepository.crimeReferences(this.db, ids)).map((r) => [r.id, r.crime_reference]))
      : new Map<string, string>();
    return duties.map((d) => ({ ...d, crimeReference: refs.get(d.caseId) ?? '' }));
  }
}
