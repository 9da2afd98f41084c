import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { ConsentScope } from '../consent/index.ts';
import {
  CHOICE_LABELS,
  APPOINTMENT_WORDS,
  LEVEL_SCOPE,
  VENUE_WORDS,
  answerWords,
  day,
  dayAndTime,
  sharedWhat,
} from './progressWords.ts';
import { ownReport } from './ownReport.ts';
import { reportProgressRepository as repo } from './reportProgressRepository.ts';

/** The machine words of `progress[].kind` in the API and the page. */
export type ProgressKind =
  | 'received'
  | 'read'
  | 'assigned'
  | 'referral-sent'
  | 'referral-accepted'
  | 'referral-declined'
  | 'warning-published'
  | 'warning-withdrawn'
  | 'warning-ended'
  | 'update'
  | 'appointment'
  | 'choice-given'
  | 'choice-withdrawn'
  | 'stop-requested'
  | 'deletion-requested';

export interface ProgressEntry {
  at: string;
  kind: ProgressKind;
  text: string;
}

/** A confirmed appointment still to come: the person may ask to change it. */
export interface UpcomingAppointment {
  id: string;
  text: string;
}

export interface ProgressOverview {
  /** Newest first. */
  progress: ProgressEntry[];
  /** What was shared with the police, one sentence per referral (or that nothing was). */
  police: string[];
  /** Each published warning made from the report, as members saw it. */
  warnings: string[];
  appointments: UpcomingAppointment[];
  requests: { stop: string | null; delete: string | null };
  /** The person asked for deletion and a legal hold keeps the report for now (the page says why, in general terms). */
  kept: boolean;
}

type Facts = Awaited<ReturnType<typeof loadFacts>>;

async function loadFacts(db: Kysely<DB>, reportId: string) {
  const [report, assignments, referrals, warnings, consents, updates, requests, appointments] = await Promise.all([
    repo.report(db, reportId),
    repo.assignments(db, reportId),
    repo.referrals(db, reportId),
    repo.warnings(db, reportId),
    repo.consentEntries(db, reportId),
    repo.updates(db, reportId),
    repo.requests(db, reportId),
    repo.confirmedAppointments(db, reportId),
  ]);
  return { report, assignments, referrals, warnings, consents, updates, requests, appointments };
}

/** A choice given with the report itself (the first entry for its scope, written with it) is not news. */
const withReport = (submittedAt: string, at: string) => Date.parse(at) - Date.parse(submittedAt) < 1000;

/**
 * "What is happening" on Check your report, and what was shared: every sentence
 * is computed from what really happened to the report. It reads only the
 * report, its referrals' level, force and answer, published warnings, the
 * consent ledger, the updates the charity chose to pass on, confirmed
 * appointments and the person's own requests: never notes, case messages,
 * officers, crime references or risk flags.
 */
export class ReportProgress {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly now: () => Date,
  ) {}

  async overview(reportId: string): Promise<ProgressOverview> {
    const facts = await loadFacts(this.db, reportId);
    const nowIso = this.now().toISOString();
    const entries: ProgressEntry[] = [
      { at: facts.report.submitted_at, kind: 'received', text: 'We received your report.' },
    ];
    if (facts.report.first_read_at)
      entries.push({ at: facts.report.first_read_at, kind: 'read', text: 'The charity read your report.' });
    entries.push(...(await this.assignments(facts)));
    for (const r of facts.referrals) {
      entries.push({ at: r.sent_at, kind: 'referral-sent', text: `We shared ${sharedWhat(r.level)} with ${r.force}.` });
      if (r.decided_at && r.status !== 'new')
        entries.push({
          at: r.decided_at,
          kind: r.status === 'accepted' ? 'referral-accepted' : 'referral-declined',
          text: answerWords(r.status, r.force),
        });
    }
    const warnings = await this.warningTexts(facts);
    for (const w of warnings) {
      entries.push({
        at: w.publishedAt,
        kind: 'warning-published',
        text: `A warning to other workers was made from your report and published. It says: “${w.text}”`,
      });
      if (w.withdrawnAt)
        entries.push({
          at: w.withdrawnAt,
          kind: 'warning-withdrawn',
          text: 'The charity took down the warning made from your report.',
        });
      else if (w.expiresAt && w.expiresAt <= nowIso)
        entries.push({
          at: w.expiresAt,
          kind: 'warning-ended',
          text: 'The warning made from your report has ended and is no longer shown.',
        });
    }
    for (const u of facts.updates)
      entries.push({
        at: u.created_at,
        kind: 'update',
        text: await this.cipher.decrypt(u.text_enc, 'person_updates.text'),
      });
    for (const a of facts.appointments)
      entries.push({ at: a.confirmed_at!, kind: 'appointment', text: await this.appointmentText(a) });
    entries.push(...this.choices(facts));
    for (const r of facts.requests)
      entries.push({
        at: r.requested_at,
        kind: r.kind === 'stop' ? 'stop-requested' : 'deletion-requested',
        text: requestText(r.kind, facts.referrals.length > 0),
      });
    // Newest first; things recorded at the same moment keep the order they happened in, reversed.
    const ordered = entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.at.localeCompare(a.e.at) || b.i - a.i)
      .map(({ e }) => e);
    const upcoming = facts.appointments.filter((a) => !a.outcome && a.starts_at > nowIso);
    return {
      progress: ordered,
      police: policeSentences(facts),
      warnings: warnings.map(
        (w) =>
          `${day(w.publishedAt)}: “${w.text}”${w.withdrawnAt ? ` The charity took it down on ${day(w.withdrawnAt)}.` : w.expiresAt && w.expiresAt <= nowIso ? ` It ended on ${day(w.expiresAt)}.` : ' It is still shown to other workers.'}`,
      ),
      appointments: await Promise.all(upcoming.map(async (a) => ({ id: a.id, text: await this.appointmentText(a) }))),
      requests: {
        stop: facts.requests.find((r) => r.kind === 'stop')?.requested_at ?? null,
        delete: facts.requests.find((r) => r.kind === 'delete')?.requested_at ?? null,
      },
      kept: facts.requests.some((r) => r.kind === 'delete') && Boolean(await repo.heldNow(this.db, reportId)),
    };
  }

  /** The person's own report as sent, with what they added, their choices and what the charity told them. */
  mine(reportId: string) {
    return ownReport(this.db, this.cipher, reportId);
  }

  /** The success banner after taking a choice back: what that stopped, from the data. */
  async withdrawalBanner(reportId: string, scope: ConsentScope): Promise<string | undefined> {
    const facts = await loadFacts(this.db, reportId);
    const last = facts.consents.filter((c) => c.scope === scope).at(-1);
    if (last?.decision !== 'withdrawn') return undefined;
    return withdrawalText(facts, scope, last.recorded_at, last.recorded_by !== null || Boolean(last.recorded_by_token));
  }

  private async assignments(facts: Facts): Promise<ProgressEntry[]> {
    const rows = await Promise.all(
      facts.assignments.map(async (a) => ({
        at: a.at,
        to:
          (JSON.parse(await this.cipher.decrypt(a.detail_enc, 'case_events.detail')) as { to?: string | null }).to ??
          null,
      })),
    );
    const ids = [...new Set(rows.flatMap((r) => (r.to ? [r.to] : [])))];
    const names = new Map<string, string>();
    for (const u of await repo.shownNames(this.db, ids))
      if (u.shown_name_enc) names.set(u.id, await this.cipher.decrypt(u.shown_name_enc, 'users.shown_name'));
    return rows.flatMap((r) =>
      r.to
        ? [
            {
              at: r.at,
              kind: 'assigned' as const,
              text: `${names.get(r.to) ?? 'A caseworker'} is looking after your report.`,
            },
          ]
        : [],
    );
  }

  private async warningTexts(facts: Facts) {
    return Promise.all(
      facts.warnings.map(async (w) => ({
        publishedAt: w.published_at!,
        withdrawnAt: w.withdrawn_at,
        expiresAt: w.expires_at,
        text: `${await this.cipher.decrypt(w.title_enc, 'warnings.title')}. ${await this.cipher.decrypt(w.body_enc, 'warnings.body')}`,
      })),
    );
  }

  private async appointmentText(a: Facts['appointments'][number]): Promise<string> {
    const venue = a.venue_enc ? await this.cipher.decrypt(a.venue_enc, 'appointments.venue') : '';
    const where = `${VENUE_WORDS[a.venue_kind] ?? 'a place agreed with you'}${venue ? ` (${venue})` : ''}`;
    const ended =
      a.outcome === 'rearranged'
        ? ' It was moved to another time.'
        : a.outcome === 'cancelled-by-police'
          ? ' The police cancelled it.'
          : '';
    return `Appointment confirmed: ${APPOINTMENT_WORDS[a.kind] ?? 'an appointment'}, on ${dayAndTime(a.starts_at)}, at ${where}.${ended}`;
  }

  private choices(facts: Facts): ProgressEntry[] {
    const entries: ProgressEntry[] = [];
    facts.consents.forEach((c, i) => {
      if (
        c.decision === 'given' &&
        !facts.consents.slice(0, i).some((e) => e.scope === c.scope) &&
        withReport(facts.report.submitted_at, c.recorded_at)
      )
        return;
      const byCharity = c.recorded_by !== null || Boolean(c.recorded_by_token);
      if (c.decision === 'given') {
        entries.push({
          at: c.recorded_at,
          kind: 'choice-given',
          text: `${byCharity ? 'The charity recorded that you agreed' : 'You agreed'} to “${CHOICE_LABELS[c.scope]}”.`,
        });
        return;
      }
      const previous = facts.consents[i - 1];
      const followed =
        c.scope === 'policeContact' &&
        previous?.scope === 'policeReport' &&
        previous.decision === 'withdrawn' &&
        Date.parse(c.recorded_at) - Date.parse(previous.recorded_at) < 1000;
      entries.push({
        at: c.recorded_at,
        kind: 'choice-withdrawn',
        text: followed
          ? `“${CHOICE_LABELS.policeContact}” ended too: the police can only contact you about a report passed to them.`
          : withdrawalText(facts, c.scope, c.recorded_at, byCharity),
      });
    });
    return entries;
  }
}

function requestText(kind: 'stop' | 'delete', shared: boolean): string {
  const police = shared ? ' What was already shared with the police stays with the police.' : '';
  if (kind === 'stop')
    return `You asked the charity to stop working on your report. The charity sees this on your case straight away. Your report is kept, and you can still send messages.${police}`;
  return `You asked for your report to be deleted. A person at the charity will do this; it is not done straight away, and until then your report is kept as it is.${police}`;
}

/** What taking a choice back stopped, from the referrals and warnings made before it. */
function withdrawalText(facts: Facts, scope: ConsentScope, at: string, byCharity: boolean): string {
  const opening = `${byCharity ? 'The charity recorded that you took back' : 'You took back'} “${CHOICE_LABELS[scope]}”.`;
  const before = facts.referrals.filter((r) => r.sent_at <= at);
  const forces = (level?: 'intelligence' | 'full') => [
    ...new Set(before.filter((r) => !level || r.level === level).map((r) => r.force)),
  ];
  const stays = 'What they already saw or copied stays with them.';
  switch (scope) {
    case 'support':
      return `${opening} The charity will not offer you support on this report. Your report is kept, and you can still send messages.`;
    case 'warnOthers': {
      const live = facts.warnings.filter(
        (w) =>
          w.published_at! <= at && !(w.withdrawn_at && w.withdrawn_at <= at) && !(w.expires_at && w.expires_at <= at),
      );
      const warning = live.length
        ? ` The warning already published from your report is still shown until the charity takes it down: send a message if you want it taken down now.`
        : '';
      return `${opening} No new warning to other workers will be made from your report.${warning}`;
    }
    case 'policeIntelligence':
    case 'policeReport': {
      const level = scope === 'policeIntelligence' ? 'intelligence' : 'full';
      const named = forces(level);
      const police = named.length
        ? ` ${named.join(' and ')} can no longer open what we shared with them in our system. ${stays}`
        : ' Nothing had been shared with the police at this level.';
      return `${opening} Nothing more will be shared with the police ${level === 'full' ? 'with your name' : 'without your name'}.${police}`;
    }
    case 'policeContact': {
      const named = forces('full');
      return `${opening} The police may no longer contact you directly.${named.length ? ` ${named.join(' and ')} can no longer see your contact details in our system. ${stays}` : ''}`;
    }
  }
}

/** One sentence per referral: what, to whom, when, their answer, and what taking it back changed. */
function policeSentences(facts: Facts): string[] {
  if (!facts.referrals.length) {
    const allowed =
      facts.consents.length &&
      (['policeIntelligence', 'policeReport'] as const).some(
        (s) => facts.consents.filter((c) => c.scope === s).at(-1)?.decision === 'given',
      );
    return [
      `Nothing from your report has been shared with the police.${allowed ? ' You have said it may be, but nothing has been sent.' : ''}`,
    ];
  }
  return facts.referrals.map((r) => {
    const scope = LEVEL_SCOPE[r.level];
    const last = facts.consents.filter((c) => c.scope === scope).at(-1);
    const takenBack =
      last?.decision === 'withdrawn' && last.recorded_at >= r.sent_at
        ? ` You took this back on ${day(last.recorded_at)}: since then ${r.force} cannot open it in our system. What they already saw or copied stays with them.`
        : '';
    return `On ${day(r.sent_at)} we shared ${sharedWhat(r.level)} with ${r.force}. ${answerWords(r.status, r.force)}${takenBack}`;
  });
}
