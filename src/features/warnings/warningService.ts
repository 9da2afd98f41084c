import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, WarningsTable } from '../../platform/db/schema.ts';
import { readArea, storeArea } from '../organisations/index.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import type { ConsentLedger } from '../consent/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import { INCIDENT_TYPES } from '../vocabulary/index.ts';
import type { ReportService } from '../reporting/index.ts';
import {
  displayPhone,
  maskOf,
  normalisePhone,
  normaliseRegistrationPattern,
  type CheckIdentifier,
} from '../identifiers/index.ts';
import { anyPlateFits, isPartialPlate, maskedForms, newestFirst } from './plateMatching.ts';
import { warningRepository, type ListFilter } from './warningRepository.ts';
import type { WarningDraftInput } from './warningSchema.ts';

/** What members (and the members helper's API) see of a published warning. */
export interface PublishedWarning {
  id: string;
  orgId: string;
  title: string;
  body: string;
  area: string | null;
  type: string;
  publishedAt: string;
  expiresAt: string;
}
export interface WarningMatch {
  id: string;
  title: string;
  publishedAt: string;
}
export type { CheckIdentifier };

export type WarningState = 'draft' | 'published' | 'withdrawn' | 'expired';

/** A warning as staff read it: the text and the perpetrator's identifiers, decrypted. */
export interface WarningView {
  id: string;
  state: WarningState;
  title: string;
  body: string;
  type: string;
  typeLabel: string;
  area: string | null;
  phones: string[];
  registrations: string[];
  handles: string[];
  vehicle: string;
  description: string;
  createdAt: string;
  publishedAt: string | null;
  expiresAt: string | null;
  withdrawnAt: string | null;
  author: { kind: 'user' | 'token'; id: string };
}

export interface WarningDetail extends WarningView {
  reports: string[];
  authorName: string;
  withdrawnReason: string | null;
  history: { at: string; actor: string; kind: string; detail: Record<string, unknown> }[];
  /** References whose person has not (or no longer) agreed to warn others: approval will be refused. */
  withoutConsent: string[];
}

/** A report as the editor shows it beside the warning: never who reported it or how to reach them. */
export interface SourceReport {
  reference: string;
  incidentTypes: string[];
  month: string | null;
  area: string | null;
  contactStarted: string | null;
  account: string;
  perpetrator: {
    names: string[];
    phones: string[];
    emails: string[];
    handles: string[];
    vehicle: string;
    registration: string | null;
    looks: string;
    description: string;
  };
  warnOthers: boolean;
}

/** The editor's fields, as text (lists one per line). */
export interface WarningFormValues {
  reports: string;
  title: string;
  body: string;
  type: string;
  area: string;
  phones: string;
  registrations: string;
  handles: string;
  vehicle: string;
  description: string;
}

export class WarningError extends Error {
  constructor(
    readonly code:
      'not_found' | 'unknown-report' | 'invalid' | 'same-author' | 'not-draft' | 'not-active' | 'no-consent',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface WarningOptions {
  /** Months from publication to expiry (config WARNING_EXPIRY_MONTHS, default 12). */
  expiryMonths?: number;
  /**
   * Called inside the approval's transaction, so what it writes (the job that
   * sends email alerts) commits with the approval or not at all.
   */
  onPublished?: (trx: Transaction<DB>, warning: { id: string; orgId: string }) => Promise<void>;
}

const PHONE_CONTEXT = 'warning_identifiers.phone';
const REGISTRATION_CONTEXT = 'warning_identifiers.registration';
/** How contact started, as the report form offers it (reporting/views/what-happened.njk). */
const CONTACT_STARTED: Record<string, string> = {
  street: 'on the street',
  'online-advert': 'an online advert or website',
  'phone-or-text': 'by phone or text',
  app: 'through an app',
  venue: 'at a venue',
  other: 'another way',
};
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2026-11" or "2026-11-03" → "November 2026": only the month, never the day or time. */
export function monthLabel(date: string | null | undefined): string | null {
  const match = /^(\d{4})-(\d{2})/.exec(date ?? '');
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  return match && month ? `${month} ${match[1]}` : null;
}

/** The same day and time `months` calendar months later (the last day of a shorter month). */
export function addMonths(from: Date, months: number): Date {
  const result = new Date(from.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

const label = (type: string) => INCIDENT_TYPES[type as keyof typeof INCIDENT_TYPES] ?? type;
const unique = <T>(list: T[]) => [...new Set(list)];

/**
 * Warnings to others: drafted by a caseworker from reports, published only
 * when a different member of staff (or token) approves, expiring after a set
 * number of months, withdrawable with a reason. Phone numbers and
 * registrations are matched through keyed digests, never stored in clear.
 */
export class WarningService {
  private readonly expiryMonths: number;
  private readonly onPublished: (trx: Transaction<DB>, warning: { id: string; orgId: string }) => Promise<void>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly reports: ReportService,
    private readonly consent: ConsentLedger,
    private readonly organisations: OrganisationService,
    private readonly now: () => Date,
    options: WarningOptions = {},
  ) {
    this.expiryMonths = options.expiryMonths ?? 12;
    this.onPublished = options.onPublished ?? (async () => {});
  }

  // ---- drafting -------------------------------------------------------------

  /**
   * The reports a draft starts from (each view audited) and the editor's fields
   * filled from them: the perpetrator, vehicle, numbers, usernames, area, how
   * contact started, what they did and the month. Nothing about the person who
   * reported (name, contact details, exact place, time of day, exact date).
   */
  async prefill(actor: Actor, references: string[]): Promise<{ reports: SourceReport[]; values: WarningFormValues }> {
    const refs = unique(references.map((r) => r.trim().toUpperCase()).filter(Boolean));
    await this.resolveReports(actor.orgId, refs);
    const areas = await this.organisations.areas(actor.orgId);
    const sources: SourceReport[] = [];
    for (const reference of refs) {
      const report = await this.reports.staffView(
        {
          userId: actor.kind === 'user' ? actor.id : null,
          tokenId: actor.kind === 'token' ? actor.id : undefined,
          orgId: actor.orgId,
        },
        reference,
      );
      if (!report)
        throw new WarningError('unknown-report', `There is no report ${reference} in your organisation`, 'reports');
      const details = report.details as { contactStarted?: string; perpetrator?: Record<string, unknown> };
      const p = (details.perpetrator ?? {}) as {
        names?: string[];
        phones?: string[];
        emails?: string[];
        handles?: string[];
        vehicle?: Record<string, string | undefined>;
        appearance?: Record<string, string | undefined>;
        description?: string;
      };
      const vehicle = p.vehicle ?? {};
      const looks = ['sex', 'ageRange', 'height', 'build', 'ethnicity', 'hair', 'accent', 'marks', 'clothing']
        .map((k) => p.appearance?.[k])
        .filter(Boolean)
        .join(', ');
      sources.push({
        reference: report.reference,
        incidentTypes: report.incidentTypes,
        month: monthLabel(report.occurredOn),
        area: report.area,
        contactStarted: details.contactStarted
          ? (CONTACT_STARTED[details.contactStarted] ?? details.contactStarted)
          : null,
        account: report.account,
        perpetrator: {
          names: p.names ?? [],
          phones: p.phones ?? [],
          emails: p.emails ?? [],
          handles: p.handles ?? [],
          vehicle: [vehicle.colour, vehicle.make, vehicle.model].filter(Boolean).join(' '),
          registration: vehicle.registration ?? null,
          looks,
          description: p.description ?? '',
        },
        warnOthers: report.consents.warnOthers,
      });
    }
    const types = unique(sources.flatMap((s) => s.incidentTypes));
    const area = sources.map((s) => s.area).find((a) => a && (!areas.length || areas.includes(a))) ?? '';
    const months = unique(sources.map((s) => s.month).filter((m): m is string => !!m));
    const started = unique(sources.map((s) => s.contactStarted).filter((c): c is string => !!c));
    const body = [
      types.length ? `What they did: ${types.map(label).join('; ')}.` : '',
      started.length ? `How contact started: ${started.join('; ')}.` : '',
      months.length ? `When: ${months.join(', ')}.` : '',
      area ? `Where: ${area}.` : '',
    ].filter(Boolean);
    const descriptions = unique(
      sources.flatMap((s) => [s.perpetrator.looks, s.perpetrator.description]).filter(Boolean),
    );
    return {
      reports: sources,
      values: {
        reports: refs.join(', '),
        title: types[0] ? `${label(types[0])}${area ? ` in ${area}` : ''}` : '',
        body: body.join('\n'),
        type: types[0] ?? '',
        area,
        phones: unique(sources.flatMap((s) => s.perpetrator.phones)).join('\n'),
        registrations: unique(sources.map((s) => s.perpetrator.registration).filter((r): r is string => !!r)).join(
          '\n',
        ),
        handles: unique(sources.flatMap((s) => s.perpetrator.handles)).join('\n'),
        vehicle: unique(sources.map((s) => s.perpetrator.vehicle).filter(Boolean)).join('; '),
        description: descriptions.join('\n'),
      },
    };
  }

  /** Saves a draft; it is not shown to anyone outside casework until someone else approves it. */
  async draft(actor: Actor, input: WarningDraftInput): Promise<string> {
    const refs = unique(input.reports.map((r) => r.toUpperCase()));
    const reports = await this.resolveReports(actor.orgId, refs);
    const areas = await this.organisations.areas(actor.orgId);
    if (input.area && areas.length && !areas.includes(input.area))
      throw new WarningError('invalid', "Choose one of your organisation's areas", 'area');
    const phones = unique(input.phones.map((p) => normalisePhone(p)).filter((p): p is string => !!p));
    const registrations = unique(
      input.registrations.map((r) => normaliseRegistrationPattern(r)).filter((r): r is string => !!r),
    );
    const id = randomId();
    const at = this.now().toISOString();
    const perpetrator = {
      phones,
      registrations,
      handles: input.handles,
      vehicle: input.vehicle,
      description: input.description,
    };
    await this.db.transaction().execute(async (trx) => {
      await warningRepository.insert(
        trx,
        {
          id,
          org_id: actor.orgId,
          status: 'draft',
          type: input.type,
          // A configured area stays filterable; anything typed (an organisation with no areas) is encrypted.
          ...storeArea(input.area, areas, this.cipher, 'warnings'),
          title_enc: this.cipher.encrypt(input.title, 'warnings.title'),
          body_enc: this.cipher.encrypt(input.body, 'warnings.body'),
          perpetrator_enc: this.cipher.encrypt(JSON.stringify(perpetrator), 'warnings.perpetrator'),
          author_kind: actor.kind,
          author_id: actor.id,
          created_at: at,
        },
        reports.map((r) => r.id),
        [
          ...phones.map((phone) => ({
            id: randomId(),
            warning_id: id,
            org_id: actor.orgId,
            kind: 'phone' as const,
            mask: null,
            lookup: this.cipher.blindIndex(phone, PHONE_CONTEXT),
          })),
          ...registrations.map((pattern) => ({
            id: randomId(),
            warning_id: id,
            org_id: actor.orgId,
            kind: 'registration' as const,
            mask: maskOf(pattern),
            lookup: this.cipher.blindIndex(pattern, REGISTRATION_CONTEXT),
          })),
        ],
      );
      await this.event(trx, id, actor, 'drafted', { reports: refs }, at);
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'warning.drafted',
          targetKind: 'warning',
          targetId: id,
          detail: { reports: refs.length },
        },
        trx,
      );
    });
    return id;
  }

  // ---- four eyes, expiry, withdrawal ----------------------------------------

  /** Publishes a draft. The approver must not be its author; every linked report must still allow warning others. */
  async approve(actor: Actor, id: string): Promise<PublishedWarning> {
    const now = this.now();
    const publishedAt = now.toISOString();
    const expiresAt = addMonths(now, this.expiryMonths).toISOString();
    const row = await this.db.transaction().execute(async (trx) => {
      const warning = await warningRepository.find(trx, actor.orgId, id);
      if (!warning) throw new WarningError('not_found', 'There is no warning with that id in your organisation');
      if (warning.status !== 'draft') throw new WarningError('not-draft', 'This warning is not awaiting approval');
      if (warning.author_kind === actor.kind && warning.author_id === actor.id) {
        throw new WarningError(
          'same-author',
          'You drafted this warning, so a different member of staff must approve it',
        );
      }
      // Consent is checked at the moment of sharing (see consent/consentLedger.ts).
      for (const report of await warningRepository.reportsOf(trx, id)) {
        if (!(await this.consent.current(report.id, trx)).warnOthers) {
          throw new WarningError(
            'no-consent',
            `The person who made report ${report.reference} has not agreed to it being used to warn others`,
          );
        }
      }
      const changed = await warningRepository.publish(trx, id, {
        approved_by_kind: actor.kind,
        approved_by_id: actor.id,
        published_at: publishedAt,
        expires_at: expiresAt,
      });
      if (!changed) throw new WarningError('not-draft', 'This warning is not awaiting approval');
      await this.event(trx, id, actor, 'approved', { expiresAt }, publishedAt);
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'warning.approved',
          targetKind: 'warning',
          targetId: id,
          detail: { expiresAt },
        },
        trx,
      );
      await this.onPublished(trx, { id, orgId: actor.orgId });
      return { ...warning, status: 'published' as const, published_at: publishedAt, expires_at: expiresAt };
    });
    return this.publishedView(row);
  }

  /** Withdraws a draft or a published warning, with a reason; it stops matching at once. */
  async withdraw(actor: Actor, id: string, reason: string): Promise<void> {
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const warning = await warningRepository.find(trx, actor.orgId, id);
      if (!warning) throw new WarningError('not_found', 'There is no warning with that id in your organisation');
      const changed = await warningRepository.withdraw(trx, id, {
        withdrawn_at: at,
        withdrawn_by_kind: actor.kind,
        withdrawn_by_id: actor.id,
        withdrawn_reason_enc: this.cipher.encrypt(reason, 'warnings.withdrawn_reason'),
      });
      if (!changed) throw new WarningError('not-active', 'This warning has already been withdrawn');
      await this.event(trx, id, actor, 'withdrawn', { reason, was: warning.status }, at);
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'warning.withdrawn',
          targetKind: 'warning',
          targetId: id,
          detail: { was: warning.status },
        },
        trx,
      );
    });
  }

  // ---- reading --------------------------------------------------------------

  /** One warning with its reports and history, for casework; the view is audited. */
  async detail(actor: Actor, id: string): Promise<WarningDetail | undefined> {
    const row = await warningRepository.find(this.db, actor.orgId, id);
    if (!row) return undefined;
    const view = await this.view(row);
    const reports = await warningRepository.reportsOf(this.db, id);
    const events = await warningRepository.events(this.db, id);
    const names = await actorNames(this.db, this.cipher, [
      { kind: row.author_kind, id: row.author_id },
      ...events.map((e) => ({ kind: e.actor_kind, id: e.actor_id })),
    ]);
    const withoutConsent: string[] = [];
    if (row.status === 'draft')
      for (const r of reports) if (!(await this.consent.current(r.id)).warnOthers) withoutConsent.push(r.reference);
    await this.audit.record({ ...auditActor(actor), action: 'warning.viewed', targetKind: 'warning', targetId: id });
    return {
      ...view,
      reports: reports.map((r) => r.reference),
      authorName: names.get(`${row.author_kind}:${row.author_id}`) ?? 'someone no longer here',
      withdrawnReason: row.withdrawn_reason_enc
        ? await this.cipher.decrypt(row.withdrawn_reason_enc, 'warnings.withdrawn_reason')
        : null,
      history: await Promise.all(
        events.map(async (e) => ({
          at: e.at,
          kind: e.kind,
          actor: (e.actor_id && names.get(`${e.actor_kind}:${e.actor_id}`)) || 'system',
          detail: JSON.parse(await this.cipher.decrypt(e.detail_enc, 'warning_events.detail')) as Record<
            string,
            unknown
          >,
        })),
      ),
      withoutConsent,
    };
  }

  /** The staff list: drafts awaiting approval, active warnings (filtered, newest first), withdrawn or expired ones. */
  async overview(
    orgId: string,
    filter: ListFilter = {},
  ): Promise<{ drafts: WarningView[]; active: WarningView[]; ended: WarningView[] }> {
    const views = await Promise.all((await warningRepository.all(this.db, orgId)).map((row) => this.view(row)));
    const byPublished = (a: WarningView, b: WarningView) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '');
    return {
      drafts: views.filter((v) => v.state === 'draft'),
      active: views
        .filter(
          (v) =>
            v.state === 'published' &&
            (!filter.area || v.area === filter.area) &&
            (!filter.type || v.type === filter.type),
        )
        .sort(byPublished),
      ended: views.filter((v) => v.state === 'withdrawn' || v.state === 'expired'),
    };
  }

  /** Active warnings with their identifiers (the staff list and the printable sheet). */
  async activeViews(orgId: string, filter: ListFilter = {}): Promise<WarningView[]> {
    return Promise.all(
      (await warningRepository.active(this.db, orgId, this.now().toISOString(), filter)).map((row) => this.view(row)),
    );
  }

  /** Active = approved, not withdrawn, not expired now; newest first. */
  async published(orgId: string, filter: { area?: string; type?: string } = {}): Promise<PublishedWarning[]> {
    return Promise.all(
      (await warningRepository.active(this.db, orgId, this.now().toISOString(), filter)).map((row) =>
        this.publishedView(row),
      ),
    );
  }

  /**
   * Active warnings naming this phone number or registration. A phone is
   * compared as E.164. Registrations fit when they are the same length and
   * equal wherever both are known, so a partial plate in a warning is found by
   * the whole plate and a partial check finds the whole plates (and partial
   * ones) that fit it. Only readable identifiers can be checked: a check never
   * answers "not found" for something it could not read.
   */
  async check(orgId: string, identifier: CheckIdentifier): Promise<WarningMatch[]> {
    const now = this.now().toISOString();
    const found = new Map<string, WarningMatch>();
    const add = async (rows: { id: string; title_enc: string; published_at: string | null }[]) => {
      for (const r of rows)
        if (!found.has(r.id))
          found.set(r.id, {
            id: r.id,
            title: await this.cipher.decrypt(r.title_enc, 'warnings.title'),
            publishedAt: r.published_at ?? '',
          });
    };
    if (identifier.kind === 'phone') {
      await add(
        await warningRepository.matching(
          this.db,
          orgId,
          'phone',
          [this.cipher.blindIndex(identifier.phone, PHONE_CONTEXT)],
          now,
        ),
      );
    } else if (!isPartialPlate(identifier.registration)) {
      // A whole plate: digest it once under each mask of its length in use, and look the digests up.
      const masks = await warningRepository.registrationMasks(this.db, orgId);
      const lookups = maskedForms(identifier.registration, masks).map((form) =>
        this.cipher.blindIndex(form, REGISTRATION_CONTEXT),
      );
      await add(await warningRepository.matching(this.db, orgId, 'registration', lookups, now));
    } else {
      // A partial plate cannot be digested into what the warnings hold (their known characters may be
      // its unknown ones), so the active warnings with a plate of that length are compared in the clear.
      const candidates = await warningRepository.withRegistrationsOfLength(
        this.db,
        orgId,
        identifier.registration.length,
        now,
      );
      for (const row of candidates) {
        const { registrations } = JSON.parse(
          await this.cipher.decrypt(row.perpetrator_enc, 'warnings.perpetrator'),
        ) as { registrations: string[] };
        if (anyPlateFits(registrations, identifier.registration)) await add([row]);
      }
    }
    return newestFirst(found.values());
  }

  /** A check made by a member of staff: audited (the number itself is not recorded). */
  async staffCheck(actor: Actor, identifier: CheckIdentifier): Promise<WarningMatch[]> {
    const matches = await this.check(actor.orgId, identifier);
    const partial = identifier.kind === 'registration' && identifier.registration.includes('?');
    await this.audit.record({
      ...auditActor(actor),
      action: 'warning.checked',
      targetKind: 'warning',
      detail: { by: identifier.kind, partial, matches: matches.length },
    });
    return matches;
  }

  // ---- helpers --------------------------------------------------------------

  private async resolveReports(orgId: string, refs: string[]) {
    if (!refs.length) throw new WarningError('unknown-report', 'Give the reference of at least one report', 'reports');
    const found = await warningRepository.reportsByReference(this.db, orgId, refs);
    const missing = refs.find((ref) => !found.some((r) => r.reference === ref));
    // The same answer whether the report is in another organisation or nowhere.
    if (missing)
      throw new WarningError('unknown-report', `There is no report ${missing} in your organisation`, 'reports');
    return found;
  }

  private async event(
    trx: Parameters<typeof warningRepository.addEvent>[0],
    warningId: string,
    actor: Actor,
    kind: 'drafted' | 'approved' | 'withdrawn',
    detail: Record<string, unknown>,
    at: string,
  ) {
    await warningRepository.addEvent(trx, {
      id: randomId(),
      warning_id: warningId,
      actor_kind: actor.kind,
      actor_id: actor.id,
      kind,
      detail_enc: this.cipher.encrypt(JSON.stringify(detail), 'warning_events.detail'),
      at,
    });
  }

  private stateOf(row: Selectable<WarningsTable>): WarningState {
    if (row.status === 'published' && row.expires_at && row.expires_at <= this.now().toISOString()) return 'expired';
    return row.status;
  }

  private async view(row: Selectable<WarningsTable>): Promise<WarningView> {
    const p = JSON.parse(await this.cipher.decrypt(row.perpetrator_enc, 'warnings.perpetrator')) as {
      phones: string[];
      registrations: string[];
      handles: string[];
      vehicle: string;
      description: string;
    };
    return {
      id: row.id,
      state: this.stateOf(row),
      title: await this.cipher.decrypt(row.title_enc, 'warnings.title'),
      body: await this.cipher.decrypt(row.body_enc, 'warnings.body'),
      type: row.type,
      typeLabel: label(row.type),
      area: await readArea(row, this.cipher, 'warnings'),
      phones: p.phones.map(displayPhone),
      registrations: p.registrations,
      handles: p.handles,
      vehicle: p.vehicle,
      description: p.description,
      createdAt: row.created_at,
      publishedAt: row.published_at,
      expiresAt: row.expires_at,
      withdrawnAt: row.withdrawn_at,
      author: { kind: row.author_kind, id: row.author_id },
    };
  }

  private async publishedView(row: Selectable<WarningsTable>): Promise<PublishedWarning> {
    return {
      id: row.id,
      orgId: row.org_id,
      title: await this.cipher.decrypt(row.title_enc, 'warnings.title'),
      body: await this.cipher.decrypt(row.body_enc, 'warnings.body'),
      area: await readArea(row, this.cipher, 'warnings'),
      type: row.type,
      publishedAt: row.published_at ?? '',
      expiresAt: row.expires_at ?? '',
    };
  }
}
