import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { Engagement } from '../attrition/index.ts';
import { syncReportTags } from '../casework/index.ts';
import type { ConsentLedger } from '../consent/index.ts';
import { APPOINTMENT_KIND_LABELS as KIND_LABELS } from '../vocabulary/index.ts';
import { addWorkingDays, londonDate } from '../calendar/index.ts';
import { APPOINTMENT_WORDS, dayAndTime } from './progressWords.ts';
import { reportProgressRepository as repo } from './reportProgressRepository.ts';

export class PersonRequestError extends Error {}

/**
 * What the person asks of the charity from "Check your report": stop working
 * on the report, delete it, or change a confirmed appointment. Each is one
 * transaction with its case history entry and audit entry; asking to stop or
 * delete twice changes nothing the second time.
 */
export class PersonRequests {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly consent: ConsentLedger,
    private readonly engagement: Engagement,
    private readonly now: () => Date,
  ) {}

  /**
   * Stop: the support choice is withdrawn in the consent ledger and the
   * engagement becomes "withdrawn, does not want support", so the case page,
   * the inbox's choice filter and the at-risk list show it at once.
   */
  async stop(reportId: string): Promise<'recorded' | 'already'> {
    return this.request(reportId, 'stop', async (trx, report) => {
      await this.consent.record(trx, reportId, [
        { scope: 'support', given: false, method: 'online', recordedBy: null },
      ]);
      await syncReportTags(trx, reportId);
      await this.engagement.withdrawnByPerson(trx, { id: reportId, orgId: report.org_id });
    });
  }

  /** Delete: recorded for the charity to act on (deleting is done by a person there, later). */
  async delete(reportId: string): Promise<'recorded' | 'already'> {
    return this.request(reportId, 'delete', async () => {});
  }

  private async request(
    reportId: string,
    kind: 'stop' | 'delete',
    also: (trx: Transaction<DB>, report: { org_id: string }) => Promise<void>,
  ): Promise<'recorded' | 'already'> {
    return this.db.transaction().execute(async (trx) => {
      const report = await repo.report(trx, reportId);
      const at = this.now().toISOString();
      const inserted = await repo.insertRequest(trx, {
        id: randomId(),
        report_id: reportId,
        org_id: report.org_id,
        kind,
        requested_at: at,
      });
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return 'already';
      await also(trx, report);
      const eventKind = kind === 'stop' ? 'stop-requested' : 'deletion-requested';
      await repo.insertCaseEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: 'person',
        actor_id: null,
        kind: eventKind,
        detail_enc: this.cipher.encrypt('{}', 'case_events.detail'),
        at,
      });
      await this.audit.record(
        {
          actorKind: 'public',
          actorId: null,
          orgId: report.org_id,
          action: `report.${eventKind}`,
          targetKind: 'report',
          targetId: reportId,
        },
        trx,
      );
      return 'recorded';
    });
  }

  /** Requests per report, for staff lists: report id → { stop, delete } dates. */
  async forReports(reportIds: string[]): Promise<Map<string, { stop?: string; delete?: string }>> {
    const map = new Map<string, { stop?: string; delete?: string }>();
    for (const r of await repo.requestsFor(this.db, reportIds))
      map.set(r.report_id, { ...map.get(r.report_id), [r.kind]: r.requested_at });
    return map;
  }

  /**
   * "Ask to change this": a message in the person's thread (what, when, and what
   * would suit them) and a task for the liaison, due the next working day.
   */
  async changeAppointment(reportId: string, appointmentId: string, wish: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const report = await repo.report(trx, reportId);
      const nowIso = this.now().toISOString();
      const appointment = (await repo.confirmedAppointments(trx, reportId)).find(
        (a) => a.id === appointmentId && !a.outcome && a.starts_at > nowIso,
      );
      if (!appointment)
        throw new PersonRequestError('This appointment can no longer be changed here. Send us a message instead.');
      const when = dayAndTime(appointment.starts_at);
      const body = `I would like to change this appointment: ${APPOINTMENT_WORDS[appointment.kind] ?? 'an appointment'}, on ${when}.${wish ? `\n\n${wish}` : ''}`;
      await repo.insertMessage(trx, {
        id: randomId(),
        report_id: reportId,
        sender: 'reporter',
        author_id: null,
        body_enc: this.cipher.encrypt(body, 'report_messages.body'),
        sent_at: nowIso,
      });
      const owner = await this.taskOwner(
        trx,
        report,
        appointment.confirmed_by_kind === 'user' ? appointment.confirmed_by_id : null,
      );
      if (owner) {
        const holidays = await repo.holidays(trx);
        const taskId = randomId();
        const title = `The person asked to change an appointment: ${KIND_LABELS[appointment.kind]} on ${when} (see their message)`;
        await repo.insertTask(trx, {
          id: taskId,
          report_id: reportId,
          org_id: report.org_id,
          title_enc: this.cipher.encrypt(title, 'case_tasks.title'),
          due_on: addWorkingDays(londonDate(this.now()), 1, holidays),
          owner_id: owner,
          created_by_kind: 'person',
          created_by_id: null,
          created_at: nowIso,
          done_at: null,
        });
        await repo.insertCaseEvent(trx, {
          id: randomId(),
          report_id: reportId,
          actor_kind: 'person',
          actor_id: null,
          kind: 'task',
          detail_enc: this.cipher.encrypt(JSON.stringify({ taskId }), 'case_events.detail'),
          at: nowIso,
        });
      }
      await this.audit.record(
        {
          actorKind: 'public',
          actorId: null,
          orgId: report.org_id,
          action: 'appointment.change-requested',
          targetKind: 'appointment',
          targetId: appointmentId,
          detail: { task: owner ? 'made' : 'nobody-to-own' },
        },
        trx,
      );
    });
  }

  /** The liaison who confirmed it, else the report's assignee, else the first liaison officer, else the first caseworker. */
  private async taskOwner(
    trx: Transaction<DB>,
    report: { org_id: string; assignee_id: string | null },
    confirmer: string | null,
  ): Promise<string | null> {
    const holders = await repo.caseHolders(trx, report.org_id);
    const holds = (id: string | null) => Boolean(id && holders.some((h) => h.id === id));
    if (holds(confirmer)) return confirmer;
    if (holds(report.assignee_id)) return report.assignee_id;
    return (holders.find((h) => h.role === 'liaison' || h.casework_role === 'liaison') ?? holders[0])?.id ?? null;
  }
}
