import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { readArea } from '../organisations/index.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { Role } from '../../platform/http/principal.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { ConsentError, type ConsentLedger, type ConsentState } from '../consent/index.ts';
import { normaliseEmail } from '../../platform/validation/email.ts';
import type { PartnershipService } from './partnershipService.ts';
import {
  CONSENT_FOR_LEVEL,
  REFERRAL_LEVELS,
  buildContent,
  intelligenceDraft,
  mentionsPerson,
  type IntelligenceRecord,
  type ReferralContent,
  type ReferralLevel,
  type ReportFacts,
  type VictimDetails,
} from './referralContent.ts';
import { intelligenceRecordOf, liveConsent, mayOpen, officerFilter, shownContent } from './policeVisibility.ts';
import { referralRepository as repo } from './referralRepository.ts';

export const referralFormSchema = z.object({
  force: z.string().trim().min(1, 'Choose the police force').max(64),
  level: z.enum(REFERRAL_LEVELS, { message: 'Choose intelligence or a full crime report' }),
  summary: z.string().trim().max(10_000, 'The text must be 10,000 characters or fewer').optional(),
});

export const acceptSchema = z.object({
  crimeReference: z
    .string()
    .trim()
    .min(1, 'Enter the crime reference number')
    .max(40, 'The crime reference number must be 40 characters or fewer')
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9/ .-]*$/,
      'The crime reference number can only have letters, numbers, spaces, dots, hyphens and slashes',
    ),
  officer: z.string().trim().min(1, 'Choose the officer in the case').max(254),
});

export const declineSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the referral is declined')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
});

export class ReferralError extends Error {
  constructor(
    readonly code:
      'not-found' | 'not-linked' | 'consent-required' | 'consent-withdrawn' | 'already-decided' | 'invalid',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A police user (or a police API token) looking at referrals. */
export interface PoliceViewer extends Actor {
  role: Role;
}

export interface SentReferral {
  id: string;
  force: string;
  level: ReferralLevel;
  status: 'new' | 'accepted' | 'declined';
  sentAt: string;
  decidedAt: string | null;
  crimeReference: string | null;
  /** The police case opened when the force accepted (its page: /staff/cases/:caseId). */
  caseId: string | null;
  declineReason: string | null;
}

export interface PoliceReferralView {
  id: string;
  level: ReferralLevel;
  status: 'new' | 'accepted' | 'declined';
  receivedAt: string;
  from: string;
  consent: { current: boolean; withdrawnAt: string | null };
  /** Absent once the consent it was sent under is withdrawn. */
  content?: Omit<ReferralContent, 'victim'>;
  /** Only for a full referral while consent is current; `contact` only while `policeContact` is too. */
  victim?: Omit<VictimDetails, 'contact'> & { contact: VictimDetails['contact'] | null };
  caseId: string | null;
  crimeReference: string | null;
  officer: { id: string; email: string } | null;
  decidedAt: string | null;
  declineReason: string | null;
}

const MESSAGES = {
  intelligence:
    'The person has not agreed to their report being passed to the police as anonymous intelligence (or has withdrawn it). Nothing was sent.',
  full: 'The person has not agreed to their report being passed to the police as a crime report (or has withdrawn it). Nothing was sent.',
};

/**
 * Referrals from a report to a linked police force, at the level the person
 * agreed to. Consent is checked when sending and at every police view; police
 * see only their own force's referrals (officers only the cases they hold),
 * and every police view is audited.
 */
export class ReferralService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly consent: ConsentLedger,
    private readonly partnerships: PartnershipService,
    private readonly now: () => Date,
  ) {}

  // ---- Support organisation side ----

  async reportIdOf(supportOrgId: string, reference: string): Promise<string | undefined> {
    return (await repo.reportIdByReference(this.db, supportOrgId, reference))?.id;
  }

  private async facts(supportOrgId: string, reportId: string): Promise<ReportFacts> {
    const report = await repo.report(this.db, supportOrgId, reportId);
    if (!report)
      throw new ReferralError('not-found', 'report', 'There is no report with that reference in your organisation.');
    return {
      incidentTypes: JSON.parse(report.incident_types) as string[],
      occurredOn: report.occurred_on,
      area: await readArea(report, this.cipher, 'reports'),
      account: await this.cipher.decrypt(report.account_enc, 'reports.account'),
      details: JSON.parse(await this.cipher.decrypt(report.details_enc, 'reports.details')) as ReportFacts['details'],
      contact: report.contact_enc
        ? (JSON.parse(await this.cipher.decrypt(report.contact_enc, 'reports.contact')) as ReportFacts['contact'])
        : undefined,
    };
  }

  /** The starting text: for intelligence, the redacted draft; for a full report, an empty covering note. */
  async draft(supportOrgId: string, reportId: string, level: ReferralLevel): Promise<string> {
    return level === 'intelligence' ? intelligenceDraft(await this.facts(supportOrgId, reportId)) : '';
  }

  consents(reportId: string): Promise<ConsentState> {
    return this.consent.current(reportId);
  }

  /** The force a referral may go to: a police force linked with the sender's organisation. */
  async linkedForce(supportOrgId: string, slug: string) {
    const force = (await this.partnerships.linkedForces(supportOrgId)).find((f) => f.slug === slug);
    if (!force) throw new ReferralError('not-linked', 'force', 'Choose a police force your organisation works with');
    return force;
  }

  /** Sends a referral; refused (nothing stored) unless the consent its level needs is current now. */
  async send(
    actor: Actor,
    reportId: string,
    input: { force: string; level: ReferralLevel; summary?: string },
  ): Promise<string> {
    const force = await this.linkedForce(actor.orgId, input.force);
    const facts = await this.facts(actor.orgId, reportId);
    try {
      await this.consent.requireCurrent(reportId, CONSENT_FOR_LEVEL[input.level]);
    } catch (error) {
      if (error instanceof ConsentError) throw new ReferralError('consent-required', 'level', MESSAGES[input.level]);
      throw error;
    }
    let summary = input.summary?.trim() ?? '';
    if (input.level === 'intelligence') {
      if (!summary) summary = intelligenceDraft(facts);
      if (mentionsPerson(summary, facts)) {
        throw new ReferralError(
          'invalid',
          'summary',
          "Take out the person's name and contact details: an intelligence referral must not identify them",
        );
      }
    }
    const content = buildContent(input.level, facts, summary);
    const id = randomId();
    await this.db.transaction().execute(async (trx) => {
      // Checked again inside the transaction, so a withdrawal that lands meanwhile still stops the send.
      if (!(await this.consent.current(reportId, trx))[CONSENT_FOR_LEVEL[input.level]])
        throw new ReferralError('consent-required', 'level', MESSAGES[input.level]);
      await repo.insertReferral(trx, {
        id,
        report_id: reportId,
        support_org_id: actor.orgId,
        police_org_id: force.id,
        level: input.level,
        status: 'new',
        content_enc: this.cipher.encrypt(JSON.stringify(content), 'referrals.content'),
        sent_by_kind: actor.kind,
        sent_by_id: actor.id,
        sent_at: this.now().toISOString(),
        decided_by_kind: null,
        decided_by_id: null,
        decided_at: null,
        decline_reason_enc: null,
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'referral.sent',
          targetKind: 'referral',
          targetId: id,
          detail: { report: reportId, force: force.id, level: input.level },
        },
        trx,
      );
    });
    return id;
  }

  /** The referrals sent from one report, for its case page. */
  async forReport(supportOrgId: string, reportId: string): Promise<SentReferral[]> {
    const rows = await repo.referralsOfReport(this.db, supportOrgId, reportId);
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        force: r.force,
        level: r.level,
        status: r.status,
        sentAt: r.sent_at,
        decidedAt: r.decided_at,
        crimeReference: r.crime_reference ?? null,
        caseId: r.case_id ?? null,
        declineReason: r.decline_reason_enc
          ? await this.cipher.decrypt(r.decline_reason_enc, 'referrals.decline_reason')
          : null,
      })),
    );
  }

  /** What the case page's referral section shows: referrals sent, forces to choose from, current consent. */
  async casePanel(supportOrgId: string, reportId: string) {
    return {
      sent: await this.forReport(supportOrgId, reportId),
      forces: await this.partnerships.linkedForces(supportOrgId),
      consents: await this.consent.current(reportId),
    };
  }

  // ---- Police side ----

  async policeList(viewer: PoliceViewer, status?: 'new' | 'accepted' | 'declined') {
    const officer = officerFilter(viewer);
    const rows = officer === null ? [] : await repo.forceReferrals(this.db, viewer.orgId, officer, status);
    await this.audit.record({
      ...auditActor(viewer),
      action: 'referral.list-viewed',
      targetKind: 'organisation',
      targetId: viewer.orgId,
      detail: { count: rows.length, status: status ?? null },
    });
    return rows.map((r) => ({
      id: r.id,
      level: r.level,
      status: r.status,
      receivedAt: r.sent_at,
      from: r.from,
      crimeReference: r.crime_reference ?? null,
    }));
  }

  private async visibleRow(viewer: PoliceViewer, id: string) {
    const officer = officerFilter(viewer);
    const row = officer === null ? undefined : await repo.forceReferral(this.db, viewer.orgId, id);
    if (!row || !mayOpen(officer, row.officer_id)) {
      throw new ReferralError('not-found', 'id', 'There is no referral with that number for your force.');
    }
    return row;
  }

  /** Live consent for a referral: whether its level's consent is current, and when it was withdrawn if not. */
  private async liveConsent(reportId: string, level: ReferralLevel) {
    const history = await this.consent.history(reportId);
    const state = await this.consent.current(reportId);
    return liveConsent(level, state, history);
  }

  /** One referral as the force may see it now (consent checked again); the view is audited. */
  async policeView(viewer: PoliceViewer, id: string): Promise<PoliceReferralView> {
    const row = await this.visibleRow(viewer, id);
    const consent = await this.liveConsent(row.report_id, row.level);
    const view: PoliceReferralView = {
      id: row.id,
      level: row.level,
      status: row.status,
      receivedAt: row.sent_at,
      from: row.from,
      consent: { current: consent.current, withdrawnAt: consent.withdrawnAt },
      caseId: row.case_id ?? null,
      crimeReference: row.crime_reference ?? null,
      officer: null,
      decidedAt: row.decided_at,
      declineReason: row.decline_reason_enc
        ? await this.cipher.decrypt(row.decline_reason_enc, 'referrals.decline_reason')
        : null,
    };
    if (row.officer_id) {
      const user = await repo.userEmail(this.db, row.officer_id);
      if (user) view.officer = { id: row.officer_id, email: await this.cipher.decrypt(user.email_enc, 'users.email') };
    }
    if (consent.current) {
      const stored = JSON.parse(await this.cipher.decrypt(row.content_enc, 'referrals.content')) as ReferralContent;
      const shown = shownContent(row.level, stored, consent.contact);
      view.content = shown.content;
      if (shown.victim) view.victim = shown.victim;
    }
    await this.audit.record({
      ...auditActor(viewer),
      action: 'referral.viewed',
      targetKind: 'referral',
      targetId: row.id,
      detail: {
        level: row.level,
        consent: consent.current ? 'current' : 'withdrawn',
        victimShown: view.victim !== undefined,
        contactShown: Boolean(view.victim?.contact),
      },
    });
    return view;
  }

  /** An intelligence referral as a structured record for the force's own system; audited. */
  async intelligenceRecord(viewer: PoliceViewer, id: string, format: 'json' | 'csv'): Promise<IntelligenceRecord> {
    const row = await this.visibleRow(viewer, id);
    if (row.level !== 'intelligence')
      throw new ReferralError('not-found', 'id', 'Only intelligence referrals can be downloaded.');
    const consent = await this.liveConsent(row.report_id, row.level);
    if (!consent.current)
      throw new ReferralError(
        'consent-withdrawn',
        'id',
        'The person has withdrawn their consent: this referral can no longer be downloaded.',
      );
    const content = JSON.parse(await this.cipher.decrypt(row.content_enc, 'referrals.content')) as ReferralContent;
    const force = await repo.organisationById(this.db, viewer.orgId);
    await this.audit.record({
      ...auditActor(viewer),
      action: 'referral.downloaded',
      targetKind: 'referral',
      targetId: row.id,
      detail: { format },
    });
    return intelligenceRecordOf(row, force?.slug ?? '', content);
  }

  /**
   * Every intelligence referral the viewer may see whose consent is current now,
   * as records for the force's intelligence system; each one included is audited.
   */
  async intelligenceRecords(viewer: PoliceViewer, format: 'json' | 'csv'): Promise<IntelligenceRecord[]> {
    const officer = officerFilter(viewer);
    const rows =
      officer === null
        ? []
        : (await repo.forceReferrals(this.db, viewer.orgId, officer)).filter((r) => r.level === 'intelligence');
    const force = await repo.organisationById(this.db, viewer.orgId);
    const records: IntelligenceRecord[] = [];
    for (const row of rows) {
      if (!(await this.liveConsent(row.report_id, row.level)).current) continue;
      const full = await repo.forceReferral(this.db, viewer.orgId, row.id);
      if (!full) continue;
      const content = JSON.parse(await this.cipher.decrypt(full.content_enc, 'referrals.content')) as ReferralContent;
      records.push(intelligenceRecordOf(row, force?.slug ?? '', content));
    }
    await this.db.transaction().execute(async (trx) => {
      for (const record of records)
        await this.audit.record(
          {
            ...auditActor(viewer),
            action: 'referral.downloaded',
            targetKind: 'referral',
            targetId: record.id,
            detail: { format, all: true },
          },
          trx,
        );
    });
    return records;
  }

  /** Who may be the officer in the case: the force's active officers and supervisors. */
  async forceOfficers(policeOrgId: string) {
    const rows = await repo.forceOfficers(this.db, policeOrgId);
    const officers = await Promise.all(
      rows.map(async (r) => ({ id: r.id, role: r.role, email: await this.cipher.decrypt(r.email_enc, 'users.email') })),
    );
    return officers.sort((a, b) => a.email.localeCompare(b.email));
  }

  private async resolveOfficer(policeOrgId: string, officer: string | undefined): Promise<string | null> {
    if (!officer) return null;
    const candidates = await repo.forceOfficers(this.db, policeOrgId);
    let id = candidates.find((c) => c.id === officer)?.id;
    if (!id && officer.includes('@')) {
      const user = await repo.userByEmailIndex(this.db, this.cipher.blindIndex(normaliseEmail(officer), 'users.email'));
      id = candidates.find((c) => c.id === user?.id)?.id;
    }
    if (!id) throw new ReferralError('invalid', 'officer', 'Choose an officer of your force');
    return id;
  }

  private requireSupervisor(viewer: PoliceViewer): void {
    if (viewer.role !== 'supervisor')
      throw new ReferralError('not-found', 'id', 'There is no referral with that number for your force.');
  }

  /** A supervisor accepts: records the crime reference and the officer in the case, and opens the police case. */
  async accept(viewer: PoliceViewer, id: string, input: { crimeReference: string; officer?: string }): Promise<string> {
    this.requireSupervisor(viewer);
    const row = await this.visibleRow(viewer, id);
    if (row.status !== 'new')
      throw new ReferralError('already-decided', 'id', `This referral was already ${row.status}.`);
    const consent = await this.liveConsent(row.report_id, row.level);
    if (!consent.current)
      throw new ReferralError(
        'consent-withdrawn',
        'id',
        'The person has withdrawn their consent: this referral cannot be accepted.',
      );
    const officerId = await this.resolveOfficer(viewer.orgId, input.officer);
    const caseId = randomId();
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const decided = await repo.decide(trx, row.id, {
        status: 'accepted',
        decided_by_kind: viewer.kind,
        decided_by_id: viewer.id,
        decided_at: at,
        decline_reason_enc: null,
      });
      if (!decided) throw new ReferralError('already-decided', 'id', 'This referral was already decided.');
      await repo.insertCase(trx, {
        id: caseId,
        referral_id: row.id,
        police_org_id: viewer.orgId,
        crime_reference: input.crimeReference,
        officer_id: officerId,
        created_at: at,
      });
      await this.audit.record(
        {
          ...auditActor(viewer),
          action: 'referral.accepted',
          targetKind: 'referral',
          targetId: row.id,
          detail: { case: caseId, officer: officerId },
        },
        trx,
      );
    });
    return caseId;
  }

  /** A supervisor declines with a reason (e.g. kept as intelligence); the reason is encrypted. */
  async decline(viewer: PoliceViewer, id: string, reason: string): Promise<void> {
    this.requireSupervisor(viewer);
    const row = await this.visibleRow(viewer, id);
    if (row.status !== 'new')
      throw new ReferralError('already-decided', 'id', `This referral was already ${row.status}.`);
    await this.db.transaction().execute(async (trx) => {
      const decided = await repo.decide(trx, row.id, {
        status: 'declined',
        decided_by_kind: viewer.kind,
        decided_by_id: viewer.id,
        decided_at: this.now().toISOString(),
        decline_reason_enc: this.cipher.encrypt(reason, 'referrals.decline_reason'),
      });
      if (!decided) throw new ReferralError('already-decided', 'id', 'This referral was already decided.');
      await this.audit.record(
        { ...auditActor(viewer), action: 'referral.declined', targetKind: 'referral', targetId: row.id },
        trx,
      );
    });
  }
}
