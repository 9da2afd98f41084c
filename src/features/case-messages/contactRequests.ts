import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import type { ReachMeService } from '../outreach/index.ts';
import type { PeopleService } from '../people/index.ts';
import { PoliceCaseError, type CaseFacts, type PoliceCaseScope } from '../police-cases/index.ts';
import { addWorkingDays, londonDate, type BankHolidayService } from '../calendar/index.ts';
import { caseMessagesRepository as repo } from './caseMessagesRepository.ts';

export const contactRequestSchema = z.object({
  reason: z
    .string()
    .trim()
    .max(2000, 'The reason must be 2,000 characters or fewer')
    .optional()
    .transform((v) => (v ? v : undefined)),
});

/** What outreach passes on: nothing about the police or the case, in case someone else hears it. */
export const REACH_ME_MESSAGE = 'Your support worker would like to talk to you. Please get in touch when it is safe.';
export const REACH_ME_WHERE = 'Not known: ask the liaison officer';

/** What the police see of a request: that it was made, and that it is with the support organisation. */
export interface PoliceContactRequest {
  id: string;
  requestedAt: string;
  requestedBy: string;
  reason: string | null;
}

/** What the support organisation sees: also who holds it and what was set in motion. */
export interface SupportContactRequest extends PoliceContactRequest {
  owner: string | null;
  dueOn: string | null;
  done: boolean;
  reachMe: boolean;
  personCreated: boolean;
}

/**
 * "Request contact with the victim": the officer in the case (or a supervisor)
 * asks, and the request becomes, in one transaction, a task for the liaison on
 * the report the case came from, due the next working day; and, when the
 * linked person has no working (non-retired) contact point or the report has
 * no person at all, an entry on the outreach reach-me list. A report without a
 * person gets a person record first, named with the name the person gave on
 * the report or "Person from report R-…". The police never learn whether or
 * how the person was found: they see only that the request is with the
 * support organisation. The work on the charity's side is attributed to the
 * requesting officer (it is their request) within the charity's organisation.
 */
export class ContactRequests {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly cases: PoliceCaseScope,
    private readonly bankHolidays: BankHolidayService,
    private readonly people: PeopleService,
    private readonly reachMe: ReachMeService,
    private readonly now: () => Date,
  ) {}

  async request(
    caseId: string,
    actor: Actor,
    input: z.input<typeof contactRequestSchema>,
  ): Promise<{ id: string; requestedAt: string }> {
    const parsed = contactRequestSchema.safeParse(input);
    if (!parsed.success) throw new PoliceCaseError('invalid', 'reason', parsed.error.issues[0]?.message ?? 'Invalid');
    const reason = parsed.data.reason;
    return this.db.transaction().execute(async (trx) => {
      const c = await this.cases.caseOf(caseId, actor, trx);
      if (c.side !== 'police')
        throw new PoliceCaseError('not-found', 'case', 'There is no such case for your organisation.');
      const report = await repo.report(trx, c.supportOrgId, c.reportId);
      if (!report) throw new PoliceCaseError('not-found', 'case', 'There is no such case for your organisation.');
      const owner = await this.ownerFor(trx, c, report.assignee_id);
      if (!owner)
        throw new PoliceCaseError(
          'invalid',
          'reason',
          'The support organisation has nobody who can take this request: contact them directly.',
        );
      // The officer's request, carried out inside the support organisation's records.
      const charity: Actor = { kind: actor.kind, id: actor.id, orgId: c.supportOrgId };
      const at = this.now().toISOString();
      const dueOn = addWorkingDays(londonDate(this.now()), 1, await this.bankHolidays.calendar(trx));

      const taskId = randomId();
      await repo.insertTask(trx, {
        id: taskId,
        report_id: report.id,
        org_id: c.supportOrgId,
        title_enc: this.cipher.encrypt(
          `Police ask to contact the person (crime reference ${c.crimeReference})`,
          'case_tasks.title',
        ),
        due_on: dueOn,
        owner_id: owner,
        created_by_kind: actor.kind,
        created_by_id: actor.id,
        created_at: at,
        done_at: null,
      });
      await repo.insertCaseEvent(trx, {
        id: randomId(),
        report_id: report.id,
        actor_kind: actor.kind,
        actor_id: actor.id,
        kind: 'task',
        detail_enc: this.cipher.encrypt(JSON.stringify({ taskId }), 'case_events.detail'),
        at,
      });
      await this.audit.record(
        {
          ...auditActor(charity),
          action: 'case.task',
          targetKind: 'report',
          targetId: report.id,
          detail: { taskId, contactRequest: true },
        },
        trx,
      );

      let personId = report.person_id;
      let personCreatedAt: string | null = null;
      if (!personId) {
        const given = report.contact_enc
          ? (
              JSON.parse(await this.cipher.decrypt(report.contact_enc, 'reports.contact')) as { name?: string }
            ).name?.trim()
          : undefined;
        const workingName = given || `Person from report ${report.reference}`;
        ({ id: personId } = await this.people.create(
          charity,
          {
            workingName,
            otherNames: [],
            languages: [],
            interpreter: 'unknown',
            notes: `Made when the police asked to contact the person (crime reference ${c.crimeReference}).`,
          },
          report.id,
          trx,
        ));
        personCreatedAt = at;
      }
      let reachMeId: string | null = null;
      if (personCreatedAt || (await repo.workingContactPoints(trx, c.supportOrgId, personId)) === 0) {
        const open = await repo.openReachMe(trx, c.supportOrgId, personId);
        reachMeId =
          open?.id ??
          (
            await this.reachMe.add(
              charity,
              personId,
              { recognise: undefined, whereSeen: REACH_ME_WHERE, message: REACH_ME_MESSAGE },
              trx,
            )
          ).id;
      }

      const id = randomId();
      await repo.insertRequest(trx, {
        id,
        case_id: caseId,
        requested_by_kind: actor.kind,
        requested_by_id: actor.id,
        reason_enc: reason ? this.cipher.encrypt(reason, 'case_contact_requests.reason') : null,
        requested_at: at,
        task_id: taskId,
        reach_me_id: reachMeId,
        person_id: personId,
        person_created_at: personCreatedAt,
      });
      // The force's audit entry says only that the request was made; what it set in motion is the charity's.
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'police-case.contact-requested',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { requestId: id },
        },
        trx,
      );
      await this.audit.record(
        {
          ...auditActor(charity),
          action: 'contact-request.received',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { requestId: id, taskId, reachMe: reachMeId !== null, personCreated: personCreatedAt !== null },
        },
        trx,
      );
      return { id, requestedAt: at };
    });
  }

  /**
   * Who the task is for: the report's assignee; else the liaison officer or
   * caseworker who sent the referral; else the organisation's first liaison
   * officer, else its first caseworker (oldest account first). Only active
   * people who can hold cases; null when there is nobody.
   */
  private async ownerFor(trx: Transaction<DB>, c: CaseFacts, assigneeId: string | null): Promise<string | null> {
    const holders = await repo.caseHolders(trx, c.supportOrgId);
    const isHolder = (id: string | null | undefined) => Boolean(id && holders.some((h) => h.id === id));
    if (isHolder(assigneeId)) return assigneeId;
    const sender = await repo.referralSender(trx, c.id);
    if (sender?.sent_by_kind === 'user' && isHolder(sender.sent_by_id)) return sender.sent_by_id;
    return (holders.find((h) => h.role === 'liaison' || h.casework_role === 'liaison') ?? holders[0])?.id ?? null;
  }

  /** The requests on a case, newest first, as the actor's side may see them. */
  async forCase(caseId: string, actor: Actor): Promise<(PoliceContactRequest | SupportContactRequest)[]> {
    const c = await this.cases.caseOf(caseId, actor);
    const rows = await repo.requests(this.db, caseId);
    const names = await actorNames(this.db, this.cipher, [
      ...rows.map((r) => ({ kind: r.requested_by_kind, id: r.requested_by_id })),
      ...rows.map((r) => ({ kind: 'user', id: r.owner_id })),
    ]);
    return Promise.all(
      rows.map(async (r) => {
        const seen: PoliceContactRequest = {
          id: r.id,
          requestedAt: r.requested_at,
          requestedBy: names.get(`${r.requested_by_kind}:${r.requested_by_id}`) ?? 'The police',
          reason: r.reason_enc ? await this.cipher.decrypt(r.reason_enc, 'case_contact_requests.reason') : null,
        };
        if (c.side === 'police') return seen;
        return {
          ...seen,
          owner: r.owner_id ? (names.get(`user:${r.owner_id}`) ?? null) : null,
          dueOn: r.due_on,
          done: r.done_at !== null,
          reachMe: r.reach_me_id !== null,
          personCreated: r.person_created_at !== null,
        };
      }),
    );
  }
}
