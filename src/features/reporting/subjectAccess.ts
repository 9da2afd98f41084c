import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { DB } from '../../platform/db/schema.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import type { ReachMeService } from '../outreach/index.ts';
import { personOwnData, type PersonOwnData } from '../people/index.ts';
import { ownReport } from './ownReport.ts';
import { answerWords, sharedWhat } from './progressWords.ts';
import type { ReportProgress } from './reportProgress.ts';
import { reportProgressRepository as repo } from './reportProgressRepository.ts';
import { subjectAccessRepository } from './subjectAccessRepository.ts';

/** One report, as the person's own data: every time is ISO-8601 (UTC). */
export interface ReportData {
  reference: string;
  sentAt: string;
  whatYouToldUs: { account: string; answers: { question: string; answer: string }[] };
  additions: { at: string; text: string }[];
  choices: { at: string; text: string }[];
  messages: { at: string; from: 'you' | 'the charity'; text: string }[];
  updatesFromTheCharity: { at: string; text: string }[];
  sharedWithThePolice: {
    sentAt: string;
    force: string;
    what: string;
    answer: string;
    answeredAt: string | null;
  }[];
  sharedWithThePoliceInWords: string[];
  warningsMadeFromIt: string[];
  whatHappened: { at: string; text: string }[];
  yourRequests: { at: string; request: string }[];
}

/** Everything held about the person, as given to them: one report from Check your report, or a person record's. */
export interface SubjectAccessFile {
  madeAt: string;
  heldBy: string;
  about: string;
  notIncluded: string;
  person?: PersonOwnData & { messagesPassedOnByOutreach: { at: string; message: string; closedAt: string | null }[] };
  reports: ReportData[];
}

const NOT_INCLUDED =
  'Not included: what the charity wrote for its own work (case notes, tasks, risk assessments), what the police hold about the case (ask the police force for it), and details about other people. Ask the charity if you want any of it: they look at each request.';

const REQUESTS = { stop: 'Stop working on my report', delete: 'Delete my report' } as const;

/**
 * Subject access (UK GDPR article 15): the person's own data, as a printable
 * page and a JSON file. It is made of what Check your report already reads:
 * what the person gave, what the charity told them, their choices, and what
 * was shared with whom. The charity's own notes, risk flags, tasks, case
 * messages with the police, officers, crime references and police answers'
 * reasons are not part of it: they are staff's or the police's records, and a
 * receipt code is only a bearer code, so what it opens must be safe to show
 * whoever holds it. A request made in person gets the same, for a person
 * record and every report linked to it, and is audited.
 */
export class SubjectAccess {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly progress: ReportProgress,
    private readonly organisations: OrganisationService,
    private readonly reachMe: ReachMeService,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** From Check your report: the one report the receipt code opened. */
  async ownReport(reportId: string): Promise<SubjectAccessFile> {
    const report = await repo.report(this.db, reportId);
    return this.file(report.org_id, [await this.report(reportId)]);
  }

  /**
   * For a request made in person: the person record and every report linked
   * to it, in the actor's organisation (undefined: no such person there, and
   * nothing audited). Each one produced is audited, with how many reports.
   */
  async forPerson(actor: Actor, personId: string, format: 'page' | 'json'): Promise<SubjectAccessFile | undefined> {
    const person = await personOwnData(this.db, this.cipher, actor.orgId, personId);
    if (!person) return undefined;
    const reports = await subjectAccessRepository.reportsOfPerson(this.db, actor.orgId, personId);
    await this.audit.record({
      ...auditActor(actor),
      action: 'person.subject-access',
      targetKind: 'person',
      targetId: personId,
      detail: { reports: reports.length, format },
    });
    const entries = await this.reachMe.forPerson(actor.orgId, personId);
    return this.file(actor.orgId, await Promise.all(reports.map((r) => this.report(r.id))), {
      ...person,
      // The message to pass on is for the person; how to recognise them and where they are seen are staff's notes.
      messagesPassedOnByOutreach: entries.map((e) => ({ at: e.addedAt, message: e.message, closedAt: e.closedAt })),
    });
  }

  private async file(
    orgId: string,
    reports: ReportData[],
    person?: SubjectAccessFile['person'],
  ): Promise<SubjectAccessFile> {
    const heldBy = (await this.organisations.findById(orgId))?.name ?? 'The charity';
    return {
      madeAt: this.now().toISOString(),
      heldBy,
      about: `Everything ${heldBy} holds about ${person ? 'you and your reports' : 'your report'}: what you told us, what you added, your choices, messages, and what was shared and with whom.`,
      notIncluded: NOT_INCLUDED,
      ...(person ? { person } : {}),
      reports,
    };
  }

  private async report(reportId: string): Promise<ReportData> {
    const [mine, overview, referrals, requests] = await Promise.all([
      ownReport(this.db, this.cipher, reportId),
      this.progress.overview(reportId),
      repo.referrals(this.db, reportId),
      repo.requests(this.db, reportId),
    ]);
    return {
      reference: mine.reference,
      sentAt: mine.sentAt,
      whatYouToldUs: { account: mine.account, answers: mine.rows.map((r) => ({ question: r.key, answer: r.value })) },
      additions: mine.additions.map((a) => ({ at: a.at, text: a.text })),
      choices: mine.choices.map((c) => ({ at: c.at, text: c.text })),
      messages: mine.messages.map((m) => ({
        at: m.at,
        from: m.from === 'You' ? ('you' as const) : ('the charity' as const),
        text: m.body,
      })),
      updatesFromTheCharity: mine.updates.map((u) => ({ at: u.at, text: u.text })),
      sharedWithThePolice: referrals.map((r) => ({
        sentAt: r.sent_at,
        force: r.force,
        what: sharedWhat(r.level),
        answer: answerWords(r.status, r.force),
        answeredAt: r.status === 'new' ? null : r.decided_at,
      })),
      sharedWithThePoliceInWords: overview.police,
      warningsMadeFromIt: overview.warnings,
      // Oldest first, as a record reads (the page on Check your report shows the newest first).
      whatHappened: [...overview.progress].reverse().map((e) => ({ at: e.at, text: e.text })),
      yourRequests: requests.map((r) => ({ at: r.requested_at, request: REQUESTS[r.kind] })),
    };
  }
}
