import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import type { AuditTrail } from '../audit/index.ts';
import { stageOf } from './caseTimeline.ts';
import { caseTimelineRepository } from './caseTimelineRepository.ts';
import type { PoliceCaseScope } from './caseScope.ts';
import { dutyRepository } from './dutyRepository.ts';
import { policeCaseRepository as repo } from './policeCaseRepository.ts';
import type { TimelineEventType } from './victimsCodeRules.ts';

export interface CaseListItem {
  id: string;
  crimeReference: string;
  stage: TimelineEventType | 'referred';
  /** The earliest deadline of an open duty. */
  nextDueOn: string | null;
  officer: string | null;
  createdAt: string;
}

/** The police cases an actor may see as a list, the officer in the case by name, and the enhanced-rights override. */
export class PoliceCases {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly scope: PoliceCaseScope,
  ) {}

  /** The officer in the case as the pages name them (their email). */
  async officerName(officerId: string): Promise<string | null> {
    return (await actorNames(this.db, this.cipher, [{ kind: 'user', id: officerId }])).get(`user:${officerId}`) ?? null;
  }

  /** The cases an actor may see (see PoliceCaseScope.scopeOf), newest first, with stage and next open deadline; audited. */
  async list(actor: Actor, limit = 200): Promise<CaseListItem[]> {
    const scope = await this.scope.scopeOf(actor);
    if (scope.side === 'none') return [];
    const rows = await repo.visibleCases(this.db, scope, limit);
    const ids = rows.map((r) => r.id);
    const events = ids.length ? await caseTimelineRepository.stageFactsOfCases(this.db, ids) : [];
    const next = ids.length ? await dutyRepository.nextDueByCase(this.db, ids) : [];
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
    await this.scope.caseOf(caseId, actor);
    await this.db.transaction().execute(async (trx) => {
      await repo.setEnhancedRights(trx, caseId, enhanced);
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
}
