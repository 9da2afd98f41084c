import type { Insertable, Kysely } from 'kysely';
import type { DB, ReportsTable } from '../../platform/db/schema.ts';
import { readArea, storeArea } from '../organisations/index.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { codeHash, randomId, sha256, slowVerify } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { syncReportTags, type InboxFilter } from '../casework/index.ts';
import {
  CONSENT_SCOPES,
  type ConsentLedger,
  type ConsentMethod,
  type ConsentScope,
  type ConsentState,
} from '../consent/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import type { CodeAttempt, CodeGuard, TicketAnswer } from '../throttling/index.ts';
import {
  newReceiptCode,
  newReference,
  normaliseReceiptCode,
  receiptCodeFor,
  receiptLookup,
} from '../../platform/crypto/receiptCodes.ts';
import { occurredOnProblem, type ReportInput } from './reportSchema.ts';
import { ukDate } from '../../platform/validation/isoDate.ts';
import { syncAttritionWatch } from '../attrition/index.ts';
import { erasedSentence, type ErasureCause } from '../vocabulary/index.ts';
import { inboxRepository } from './inboxRepository.ts';
import { reportRepository as repo } from './reportRepository.ts';

export const KEY_REUSED =
  'This Idempotency-Key was already used to send a different report. Use a new key for a new report.';

/** JSON with every object's keys in order, so the same report always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** How long a retried submission may show the same receipt code again. */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class ReportError extends Error {
  constructor(
    readonly code: 'no_organisation' | 'idempotency_conflict' | 'idempotency_key_reused' | 'invalid_date',
    message: string,
  ) {
    super(message);
  }
}

export interface Submitted {
  reportId: string;
  reference: string;
  /** Absent when a retry arrives after the replay window: the code was never stored. */
  receiptCode: string | undefined;
  replayed: boolean;
}

export interface SubmitContext {
  source: ReportsTable['source'];
  recordedBy: string | null;
  /** The staff API token that recorded an assisted report through the API (recordedBy is then null). */
  recordedByToken?: string | null;
  /** Client-chosen key (hidden form field or Idempotency-Key header), 16+ characters. */
  idempotencyKey: string | undefined;
  /** What was sent with the key, compared on a retry (the API's whole body); the report and its source by default. */
  sentBody?: unknown;
}

/** Inbox filters; each is optional. `assigneeId: null` means unassigned. Keys are validated by the callers. */
export type { InboxFilter };

export interface ReporterView {
  reference: string;
  status: ReportsTable['status'];
  submittedAt: string;
  consents: ConsentState;
  messages: { from: 'you' | 'support'; body: string; sentAt: string }[];
  additions: { text: string; addedAt: string }[];
}

/** Taking reports, the receipt code that is the only key back, and what the person sees and changes later. */
export class ReportService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly consent: ConsentLedger,
    private readonly codes: CodeGuard,
    private readonly receiptKey: Buffer,
    private readonly now: () => Date,
  ) {}

  async submit(input: ReportInput, context: SubmitContext): Promise<Submitted> {
    const idempotencyHash = context.idempotencyKey ? sha256(`report:${context.idempotencyKey}`) : null;
    // A key stands for one report: its retry must carry the same report, not another one.
    const bodyHash = context.idempotencyKey
      ? sha256(canonicalJson(context.sentBody ?? { input, source: context.source }))
      : null;
    const earlier = context.idempotencyKey
      ? await this.resubmitted(context.idempotencyKey, bodyHash ?? undefined)
      : undefined;
    if (earlier) return earlier;
    const dateProblem = occurredOnProblem(input.occurredOn, ukDate(this.now()));
    if (dateProblem) throw new ReportError('invalid_date', dateProblem);
    const organisation = await this.supportOrganisation(input.org);
    const code = context.idempotencyKey ? receiptCodeFor(context.idempotencyKey, this.receiptKey) : newReceiptCode();
    const verifier = await codeHash(code);
    const now = this.now().toISOString();
    const { contact, consents, account, perpetrator, incidentTypes, occurredOn, area, org: _org, ...rest } = input;
    const report: Insertable<ReportsTable> = {
      id: randomId(),
      org_id: organisation.id,
      reference: newReference(),
      receipt_lookup: receiptLookup(code, this.receiptKey),
      receipt_verifier: verifier,
      idempotency_hash: idempotencyHash,
      idempotency_body_hash: bodyHash,
      source: context.source,
      recorded_by: context.recordedBy,
      recorded_by_token: context.recordedByToken ?? null,
      status: 'new',
      incident_types: JSON.stringify(incidentTypes),
      occurred_on: occurredOn ?? null,
      // A configured area stays filterable; anything typed is the person's own words, encrypted.
      ...storeArea(area, await this.organisations.areas(organisation.id), this.cipher, 'reports'),
      account_enc: this.cipher.encrypt(account, 'reports.account'),
      details_enc: this.cipher.encrypt(JSON.stringify({ ...rest, perpetrator }), 'reports.details'),
      contact_enc: contact ? this.cipher.encrypt(JSON.stringify(contact), 'reports.contact') : null,
      submitted_at: now,
    };
    const method: ConsentMethod =
      context.source === 'phone' ? 'phone' : context.source === 'online' ? 'online' : 'in-person';
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insert(trx, report);
        await this.consent.record(
          trx,
          report.id,
          CONSENT_SCOPES.filter((scope) => consents[scope]).map((scope) => ({
            scope,
            given: true,
            method,
            recordedBy: context.recordedBy,
            recordedByToken: context.recordedByToken ?? null,
          })),
        );
        await syncReportTags(trx, report.id);
        await syncAttritionWatch(trx, { reports: [report.id] });
        await this.audit.record(
          {
            actorKind: context.recordedBy ? 'user' : context.recordedByToken ? 'api-token' : 'public',
            actorId: context.recordedBy ?? context.recordedByToken ?? null,
            orgId: organisation.id,
            action: 'report.submitted',
            targetKind: 'report',
            targetId: report.id,
            detail: { source: context.source },
          },
          trx,
        );
      });
    } catch (error) {
      // Two copies of the same submission racing: the first one wins, the second shows it.
      if (idempotencyHash) {
        const winner = await this.resubmitted(context.idempotencyKey!, bodyHash ?? undefined);
        if (winner) return winner;
      }
      throw error;
    }
    return { reportId: report.id, reference: report.reference, receiptCode: code, replayed: false };
  }

  /**
   * A submission already made with this idempotency key, shown again (within the
   * replay window). Given the new body's hash, a different body is refused.
   */
  async resubmitted(idempotencyKey: string, bodyHash?: string): Promise<Submitted | undefined> {
    const existing = await repo.byIdempotencyHash(this.db, sha256(`report:${idempotencyKey}`));
    if (existing && bodyHash && existing.idempotency_body_hash && existing.idempotency_body_hash !== bodyHash)
      throw new ReportError('idempotency_key_reused', KEY_REUSED);
    return existing ? this.replay(existing, idempotencyKey) : undefined;
  }

  /**
   * The report a receipt code opens, or undefined. Guarded by `CodeGuard` (sign-in/codeGuard.ts):
   * wrong codes back off per (hashed) address; a spike of wrong codes from everywhere asks for a
   * ticket, which this form of the call never has.
   */
  async openWithCode(rawCode: string, address: string): Promise<string | undefined> {
    const result = await this.attemptCode(rawCode, address, {}, { offerTickets: false });
    return result.ok ? result.value : undefined;
  }

  /** Opens a report with its receipt code, saying why when it does not (wrong, wait, or a ticket is needed). */
  attemptCode(
    rawCode: string,
    address: string,
    answer: TicketAnswer,
    options: { offerTickets: boolean },
  ): Promise<CodeAttempt<string>> {
    return this.codes.attempt('receipt', address, answer, options, async () => {
      const code = normaliseReceiptCode(rawCode);
      if (!code) return undefined;
      const row = await repo.byReceiptLookup(this.db, receiptLookup(code, this.receiptKey));
      return row && (await slowVerify(row.receipt_verifier, code)) ? row.id : undefined;
    });
  }

  async reporterView(reportId: string): Promise<ReporterView> {
    const report = await repo.reporterSummary(this.db, reportId);
    const messages = await repo.messages(this.db, reportId);
    const additions = await repo.additions(this.db, reportId);
    return {
      reference: report.reference,
      status: report.status,
      submittedAt: report.submitted_at,
      consents: await this.consent.current(reportId),
      messages: await Promise.all(
        messages.map(async (m) => ({
          from: m.sender === 'reporter' ? ('you' as const) : ('support' as const),
          body: await this.cipher.decrypt(m.body_enc, 'report_messages.body'),
          sentAt: m.sent_at,
        })),
      ),
      additions: await Promise.all(
        additions.map(async (a) => ({
          text: await this.cipher.decrypt(a.text_enc, 'report_additions.text'),
          addedAt: a.added_at,
        })),
      ),
    };
  }

  /** When and why a report's personal content was erased (features/retention), or null; worded for the person. */
  async erasure(reportId: string): Promise<{ at: string; because: ErasureCause; sentence: string } | null> {
    const row = await repo.erasure(this.db, reportId);
    if (!row?.erased_at) return null;
    const because = row.erased_because ?? 'retention';
    return { at: row.erased_at, because, sentence: erasedSentence(because, row.erased_at, 'person') };
  }

  idOf(orgId: string, reference: string): Promise<string | undefined> {
    return repo.idInOrg(this.db, orgId, reference);
  }

  /** A support message may come from a member of staff or, through the API, from a token (no user). */
  async addMessage(
    reportId: string,
    body: string,
    from: { sender: 'reporter' } | { sender: 'support'; userId: string | null },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.insertMessage(trx, {
        id: randomId(),
        report_id: reportId,
        sender: from.sender,
        author_id: from.sender === 'support' ? from.userId : null,
        body_enc: this.cipher.encrypt(body, 'report_messages.body'),
        sent_at: this.now().toISOString(),
      });
      // A reply from the charity is an update to the person (attrition watch).
      if (from.sender === 'support') await syncAttritionWatch(trx, { reports: [reportId] });
    });
  }

  /** Appended with its own time; never overwrites what was said before. */
  async addAddition(reportId: string, text: string, addedBy: string | null): Promise<void> {
    await repo.insertAddition(this.db, {
      id: randomId(),
      report_id: reportId,
      text_enc: this.cipher.encrypt(text, 'report_additions.text'),
      added_by: addedBy,
      added_at: this.now().toISOString(),
    });
  }

  /** `recordedBy`: a user id, an actor (a member of staff or an API token), or null when the person did it themselves. */
  async changeConsent(
    reportId: string,
    scope: ConsentScope,
    given: boolean,
    method: ConsentMethod,
    recordedBy: string | Pick<Actor, 'kind' | 'id'> | null,
  ): Promise<ConsentState> {
    const actor = typeof recordedBy === 'string' ? { kind: 'user' as const, id: recordedBy } : recordedBy;
    await this.db.transaction().execute(async (trx) => {
      const written = await this.consent.record(trx, reportId, [
        {
          scope,
          given,
          method,
          recordedBy: actor?.kind === 'user' ? actor.id : null,
          recordedByToken: actor?.kind === 'token' ? actor.id : null,
        },
      ]);
      const report = await repo.orgOf(trx, reportId);
      if (written.length) await syncReportTags(trx, reportId);
      for (const entry of written) {
        await this.audit.record(
          {
            actorKind: actor ? (actor.kind === 'user' ? 'user' : 'api-token') : 'public',
            actorId: actor?.id ?? null,
            orgId: report.org_id,
            action: 'consent.changed',
            targetKind: 'report',
            targetId: reportId,
            detail: { scope: entry.scope, decision: entry.decision },
          },
          trx,
        );
      }
    });
    return this.consent.current(reportId);
  }

  /**
   * The organisation's reports, newest first (no sensitive fields: only an area typed as free text is decrypted).
   * Every filter narrows within the organisation. Column filters use the reports_org_* indexes
   * (migrations 0007, 0011); a type, risk flag or given choice is driven from report_tags
   * (casework/reportTags.ts), so a rare one walks only the reports that have it.
   */
  async inbox(orgId: string, page: number, pageSize = 50, filter: InboxFilter = {}) {
    const rows = await inboxRepository.page(this.db, orgId, page, pageSize, filter);
    return {
      items: await Promise.all(
        rows.slice(0, pageSize).map(async ({ area_enc, ...r }) => ({
          ...r,
          area: await readArea({ area: r.area, area_enc }, this.cipher, 'reports'),
          incidentTypes: JSON.parse(r.incident_types) as string[],
          riskFlags: JSON.parse(r.risk_flags) as string[],
        })),
      ),
      hasMore: rows.length > pageSize,
    };
  }

  /** Everything about one report, decrypted for an authorised member of staff; the viewing is audited. */
  async staffView(viewer: { userId: string | null; tokenId?: string; orgId: string }, reference: string) {
    const report = await repo.inOrg(this.db, viewer.orgId, reference);
    if (!report) return undefined;
    const reporter = await this.reporterView(report.id);
    const details = JSON.parse(await this.cipher.decrypt(report.details_enc, 'reports.details')) as Record<
      string,
      unknown
    >;
    const contact = report.contact_enc
      ? (JSON.parse(await this.cipher.decrypt(report.contact_enc, 'reports.contact')) as Record<string, unknown>)
      : undefined;
    await this.audit.record({
      actorKind: viewer.userId ? 'user' : 'api-token',
      actorId: viewer.userId ?? viewer.tokenId ?? null,
      orgId: viewer.orgId,
      action: 'report.viewed',
      targetKind: 'report',
      targetId: report.id,
    });
    // The first time anyone at the charity opens it, the person sees "read by the charity".
    if (!report.first_read_at) await repo.markFirstRead(this.db, report.id, this.now().toISOString());
    return {
      id: report.id,
      reference: report.reference,
      status: report.status,
      source: report.source,
      submittedAt: report.submitted_at,
      incidentTypes: JSON.parse(report.incident_types) as string[],
      occurredOn: report.occurred_on,
      area: await readArea(report, this.cipher, 'reports'),
      account: await this.cipher.decrypt(report.account_enc, 'reports.account'),
      details,
      contact,
      messages: reporter.messages,
      additions: reporter.additions,
      consents: reporter.consents,
      consentHistory: await this.consent.history(report.id),
      priority: report.priority,
      riskFlags: JSON.parse(report.risk_flags) as string[],
      assigneeId: report.assignee_id,
      // An erased report keeps only its skeleton: every text above is empty.
      erased: report.erased_at
        ? {
            at: report.erased_at,
            because: report.erased_because ?? 'retention',
            sentence: erasedSentence(report.erased_because ?? 'retention', report.erased_at),
          }
        : null,
    };
  }

  private async supportOrganisation(slug: string | undefined) {
    if (slug) {
      const organisation = await this.organisations.findBySlug(slug);
      if (organisation?.kind !== 'support')
        throw new ReportError('no_organisation', `No support organisation called "${slug}"`);
      return organisation;
    }
    const support = (await this.organisations.list()).filter((o) => o.kind === 'support');
    if (support.length !== 1)
      throw new ReportError('no_organisation', 'Say which support organisation the report is for (org)');
    return support[0]!;
  }

  private replay(existing: { id: string; reference: string; submitted_at: string }, idempotencyKey: string): Submitted {
    const fresh = this.now().getTime() - Date.parse(existing.submitted_at) < REPLAY_WINDOW_MS;
    return {
      reportId: existing.id,
      reference: existing.reference,
      receiptCode: fresh ? receiptCodeFor(idempotencyKey, this.receiptKey) : undefined,
      replayed: true,
    };
  }
}
