import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { syncReportTags } from './reportTags.ts';
import { caseWorkRepository } from './caseWorkRepository.ts';
import { triageRepository as repo } from './triageRepository.ts';
import type { AuditTrail } from '../audit/index.ts';
import { syncAttritionWatch } from '../attrition/index.ts';

export const STATUSES = ['new', 'open', 'waiting', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const RISK_FLAGS = {
  injured: 'Injured',
  'immediate-danger': 'Immediate danger',
  'repeat-victim': 'Repeat victim',
  'under-18-suspected': 'Under 18 suspected',
  'trafficking-suspected': 'Trafficking suspected',
} as const;
/** Roles that can be given a case to look after (administrators only if they also work cases). */
export const CASE_HOLDER_ROLES = ['caseworker', 'liaison'];

export const triageSchema = z
  .object({
    status: z.enum(STATUSES, { message: 'Choose a status' }),
    reason: z.string().trim().max(1000, 'The reason must be 1,000 characters or fewer').default(''),
    assignee: z.string().max(64).default(''),
    priority: z.enum(PRIORITIES, { message: 'Choose a priority' }),
    flags: z
      .array(z.enum(Object.keys(RISK_FLAGS) as [keyof typeof RISK_FLAGS], { message: 'Unknown risk flag' }))
      .max(10)
      .default([]),
  })
  .refine((t) => t.status !== 'closed' || t.reason.length > 0, {
    message: 'Say why the case is being closed',
    path: ['reason'],
  });
export type TriageInput = z.infer<typeof triageSchema>;

export class TriageError extends Error {
  constructor(
    readonly field: keyof TriageInput,
    message: string,
  ) {
    super(message);
  }
}

export interface CaseEvent {
  at: string;
  actor: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** Triage of reports: status (with a reason to close), who looks after it, priority, risk flags, and their history. */
export class Triage {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** People in the organisation a case can be given to. */
  async caseHolders(orgId: string): Promise<{ id: string; email: string }[]> {
    const rows = await repo.caseHolders(this.db, orgId, CASE_HOLDER_ROLES);
    return Promise.all(
      rows.map(async (r) => ({ id: r.id, email: await this.cipher.decrypt(r.email_enc, 'users.email') })),
    );
  }

  /**
   * Applies what changed; each change is an event on the case history and in the audit trail.
   * The actor is a member of staff or an API token (see actor.ts).
   */
  async apply(actor: Actor, reportId: string, input: TriageInput): Promise<void> {
    const assigneeId = input.assignee || null;
    if (assigneeId && !(await this.caseHolders(actor.orgId)).some((h) => h.id === assigneeId)) {
      throw new TriageError('assignee', 'Choose someone in your organisation who can look after cases');
    }
    await this.db.transaction().execute(async (trx) => {
      const report = await repo.stateInOrg(trx, actor.orgId, reportId);
      const flags = [...input.flags].sort();
      const changes: { kind: 'status' | 'assigned' | 'priority' | 'flags'; detail: Record<string, unknown> }[] = [];
      if (report.status !== input.status)
        changes.push({
          kind: 'status',
          detail: { from: report.status, to: input.status, ...(input.reason ? { reason: input.reason } : {}) },
        });
      if (report.assignee_id !== assigneeId)
        changes.push({ kind: 'assigned', detail: { from: report.assignee_id, to: assigneeId } });
      if (report.priority !== input.priority)
        changes.push({ kind: 'priority', detail: { from: report.priority, to: input.priority } });
      if (report.risk_flags !== JSON.stringify(flags))
        changes.push({ kind: 'flags', detail: { from: JSON.parse(report.risk_flags) as string[], to: flags } });
      if (!changes.length) return;
      await repo.setState(trx, reportId, {
        status: input.status,
        assignee_id: assigneeId,
        priority: input.priority,
        risk_flags: JSON.stringify(flags),
      });
      if (changes.some((c) => c.kind === 'flags')) await syncReportTags(trx, reportId);
      if (changes.some((c) => c.kind === 'status')) await syncAttritionWatch(trx, { reports: [reportId] });
      const at = this.now();
      for (const [i, change] of changes.entries()) {
        await caseWorkRepository.insertEvent(trx, {
          id: randomId(),
          report_id: reportId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          kind: change.kind,
          detail_enc: this.cipher.encrypt(JSON.stringify(change.detail), 'case_events.detail'),
          at: new Date(at.getTime() + i).toISOString(),
        });
        await this.audit.record(
          { ...auditActor(actor), action: `case.${change.kind}`, targetKind: 'report', targetId: reportId },
          trx,
        );
      }
    });
  }

  /** The report's triage state now. */
  async current(reportId: string): Promise<{
    status: TriageInput['status'];
    assigneeId: string | null;
    priority: TriageInput['priority'];
    riskFlags: TriageInput['flags'];
  }> {
    const row = await repo.state(this.db, reportId);
    return {
      status: row.status,
      assigneeId: row.assignee_id,
      priority: row.priority,
      riskFlags: JSON.parse(row.risk_flags) as TriageInput['flags'],
    };
  }

  /** The case's events, oldest first, each naming its actor (an email, or "API: <token name>"). */
  async history(reportId: string): Promise<CaseEvent[]> {
    const rows = await repo.events(this.db, reportId);
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: r.actor_kind, id: r.actor_id })),
    );
    return Promise.all(
      rows.map(async (r) => ({
        at: r.at,
        kind: r.kind,
        actor:
          r.actor_kind === 'person'
            ? 'The person'
            : (r.actor_id && names.get(`${r.actor_kind}:${r.actor_id}`)) || 'system',
        detail: JSON.parse(await this.cipher.decrypt(r.detail_enc, 'case_events.detail')) as Record<string, unknown>,
      })),
    );
  }
}
