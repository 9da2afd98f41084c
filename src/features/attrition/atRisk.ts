import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addCalendarDays } from '../calendar/index.ts';
import { atRiskRows, FLAG_WEIGHTS, type AtRiskRow, type RiskFlag } from './atRiskRepository.ts';
import { ENGAGEMENT_STATUSES, type EngagementStatus } from './engagement.ts';

const DAY_MS = 86_400_000;
/** The thresholds the issue sets: no successful contact for 14 days, no update for 28, bail ending within 7. */
export const NO_CONTACT_DAYS = 14;
export const NO_UPDATE_DAYS = 28;
export const BAIL_WINDOW_DAYS = 7;

export interface AtRiskItem {
  reference: string;
  flags: { key: RiskFlag; text: string }[];
  score: number;
  /** The last successful contact, or null when there has been none. */
  lastContactAt: string | null;
  /** Whole days since the last successful contact (or since the report, when there has been none). */
  daysSinceContact: number;
  engagement: EngagementStatus | null;
  engagementText: string;
  bailEndsOn: string | null;
}

/** "12 March 2026" for a YYYY-MM-DD date. */
export function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The liaison officer's at-risk list: open cases with at least one flag, most at risk first. */
export class AtRiskList {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  async list(
    orgId: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<{ items: AtRiskItem[]; total: number }> {
    const now = this.now();
    const today = now.toISOString().slice(0, 10);
    const { rows, total } = await atRiskRows(
      this.db,
      orgId,
      {
        noContactSince: new Date(now.getTime() - NO_CONTACT_DAYS * DAY_MS).toISOString(),
        noUpdateSince: new Date(now.getTime() - NO_UPDATE_DAYS * DAY_MS).toISOString(),
        today,
        bailWindowEnd: addCalendarDays(today, BAIL_WINDOW_DAYS),
      },
      { limit: page.limit ?? 100, offset: page.offset ?? 0 },
    );
    return { items: rows.map((r) => item(r, now)), total };
  }
}

function item(r: AtRiskRow, now: Date): AtRiskItem {
  const since = r.last_contact_at ?? r.submitted_at;
  const daysSinceContact = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY_MS));
  const flags: { key: RiskFlag; text: string }[] = [];
  if (r.missed_appointment) flags.push({ key: 'missed-appointment', text: 'Missed an appointment' });
  if (r.contact_points_retired)
    flags.push({ key: 'contact-points-retired', text: 'Every contact point has been retired' });
  if (r.bail_ending && r.bail_end_date)
    flags.push({ key: 'bail-ending', text: `Bail ends on ${longDate(r.bail_end_date)}` });
  if (r.no_contact)
    flags.push({
      key: 'no-contact',
      text: r.last_contact_at
        ? `No successful contact for ${daysSinceContact} days`
        : `No successful contact since the report, ${daysSinceContact} days ago`,
    });
  if (r.wavering) flags.push({ key: 'wavering', text: 'Recorded as wavering' });
  if (r.no_update) flags.push({ key: 'no-update', text: `No update to the person for ${NO_UPDATE_DAYS} days or more` });
  flags.sort((a, b) => FLAG_WEIGHTS[b.key] - FLAG_WEIGHTS[a.key]);
  const engagement = (r.engagement as EngagementStatus | null) ?? null;
  return {
    reference: r.reference,
    flags,
    score: r.score,
    lastContactAt: r.last_contact_at,
    daysSinceContact,
    engagement,
    engagementText: engagement
      ? ENGAGEMENT_STATUSES[engagement] +
        (engagement === 'withdrawn' && r.wants_support === 'yes' ? ' (wants support to continue)' : '')
      : 'Not recorded',
    bailEndsOn: r.bail_end_date,
  };
}
