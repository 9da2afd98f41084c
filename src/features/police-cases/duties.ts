import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { syncAttritionWatch } from '../attrition/index.ts';
import { addWorkingDays, londonDate, type BankHolidayService } from '../calendar/index.ts';
import type { CaseFacts, PoliceCaseScope } from './caseScope.ts';
import { dutyRepository as repo } from './dutyRepository.ts';
import { policeCaseRepository } from './policeCaseRepository.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { dutyMetInput, dutyNotMetInput, tellThroughCheckInput } from './schemas.ts';
import type { TimelineEventType } from './victimsCodeRules.ts';

const noSuchDuty = () => new PoliceCaseError('not-found', 'duty', 'There is no such duty for your organisation.');

/**
 * The Victims' Code duties to inform the victim: opened with the event that
 * calls for one (rules as data in `victims_code_rules`, deadlines in working
 * days from the UK date of the event), then met (how, and when) or recorded as
 * not met (why). Either side of the case may record; nothing is ever deleted.
 */
export class Duties {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly scope: PoliceCaseScope,
    private readonly bankHolidays: BankHolidayService,
    private readonly now: () => Date,
  ) {}

  /** The "inform the victim" duty the rules call for after this event, in the event's transaction; nulls when none. */
  async openFor(
    trx: Transaction<DB>,
    c: CaseFacts,
    event: { id: string; type: TimelineEventType; occurredOn: string; recordedAt: string },
  ): Promise<{ dutyId: string | null; dueOn: string | null }> {
    const rule = await repo.rule(trx, event.type);
    const days = rule ? (c.enhancedRights ? rule.days_enhanced : rule.days_standard) : null;
    if (!rule || rule.must_inform !== 1 || days === null) return { dutyId: null, dueOn: null };
    const dutyId = randomId();
    const dueOn = addWorkingDays(event.occurredOn, days, await this.bankHolidays.calendar(trx));
    await repo.insert(trx, {
      id: dutyId,
      event_id: event.id,
      case_id: c.id,
      event_type: event.type,
      police_org_id: c.forceOrgId,
      support_org_id: c.supportOrgId,
      due_on: dueOn,
      created_at: event.recordedAt,
      resolved_at: null,
      met_at: null,
      how: null,
      note_enc: null,
      not_met_reason_enc: null,
      resolved_by_kind: null,
      resolved_by_id: null,
    });
    return { dutyId, dueOn };
  }

  /** An unresolved duty on a case the actor may see; 'not-found' otherwise, as if it did not exist. */
  private async dutyFor(trx: Transaction<DB>, dutyId: string, actor: Actor) {
    const row = await repo.forResolution(trx, dutyId);
    if (!row || (row.police_org_id !== actor.orgId && row.support_org_id !== actor.orgId)) throw noSuchDuty();
    try {
      await this.scope.caseOf(row.case_id, actor, trx);
    } catch (error) {
      if (error instanceof PoliceCaseError) throw noSuchDuty();
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
      await repo.resolve(trx, dutyId, {
        resolved_at: at,
        met_at: at,
        met_on: londonDate(new Date(at)),
        how: parsed.data.how,
        note_enc: parsed.data.note ? this.cipher.encrypt(parsed.data.note, 'duties.note') : null,
        resolved_by_kind: actor.kind,
        resolved_by_id: actor.id,
      });
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
      if (duty.support_org_id !== actor.orgId) throw noSuchDuty();
      const report = await policeCaseRepository.reportIdOf(trx, duty.case_id);
      await repo.resolve(trx, dutyId, {
        resolved_at: at,
        met_at: at,
        met_on: londonDate(new Date(at)),
        how: 'check-your-report',
        note_enc: null,
        resolved_by_kind: actor.kind,
        resolved_by_id: actor.id,
      });
      await repo.insertPersonUpdate(trx, {
        id: randomId(),
        report_id: report.report_id,
        org_id: actor.orgId,
        text_enc: this.cipher.encrypt(parsed.data.text, 'person_updates.text'),
        duty_id: dutyId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        created_at: at,
      });
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
      await repo.resolve(trx, dutyId, {
        resolved_at: at,
        not_met_reason_enc: this.cipher.encrypt(parsed.data.reason, 'duties.not_met_reason'),
        resolved_by_kind: actor.kind,
        resolved_by_id: actor.id,
      });
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
    const row = await repo.notMetReason(this.db, dutyId);
    if (!row) throw noSuchDuty();
    await this.scope.caseOf(row.case_id, actor);
    return row.not_met_reason_enc ? this.cipher.decrypt(row.not_met_reason_enc, 'duties.not_met_reason') : null;
  }
}
