import { z } from 'zod';

/** One organisation's retention schedule: how long each kind of record is kept. */
export interface RetentionSchedule {
  /** Reports with no way to reach the person, no messages and nothing shared: months after the last activity. */
  uncontactedMonths: number;
  /** Closed reports: years after closing (or after anything that happened on the case later). */
  closedYears: number;
  /** Member accounts whose code has not signed in for this many months. */
  memberInactiveMonths: number;
  /** Audit entries: years (they hold ids and kinds of action, never personal content). */
  auditYears: number;
  /** Days within which a person's deletion request is acted on. */
  requestDays: number;
}

export type ScheduleField = keyof RetentionSchedule;

interface Rule {
  label: string;
  unit: 'months' | 'years' | 'days';
  min: number;
  max: number;
  /** Why this default: shown beside the field on /admin/retention. */
  justification: string;
}

export const DEFAULT_SCHEDULE: Readonly<RetentionSchedule> = Object.freeze({
  uncontactedMonths: 24,
  closedYears: 6,
  memberInactiveMonths: 12,
  auditYears: 7,
  requestDays: 30,
});

/** Unfinished report drafts: fixed, since a draft is only kept while someone writes (`drafts.purge-expired`). */
export const DRAFT_HOURS = 24;
export const DRAFT_JUSTIFICATION =
  'An unsent report is someone’s unfinished words: it is kept only long enough to finish in one sitting, and removed every hour once it has expired.';

export const RULES: Record<ScheduleField, Rule> = {
  uncontactedMonths: {
    label: 'Reports with no contact and nothing shared',
    unit: 'months',
    min: 6,
    max: 120,
    justification:
      'With no way to reach the person, no messages and nothing passed to the police or published, the report only serves the person coming back with their code: two years gives them time to, and after that it is no longer needed.',
  },
  closedYears: {
    label: 'Closed reports',
    unit: 'years',
    min: 1,
    max: 25,
    justification:
      'Six years after the case closed (or after anything that happened on it later) matches the six-year limitation period for most civil claims, so the charity can still answer a complaint or a claim about its work.',
  },
  memberInactiveMonths: {
    label: 'Member accounts not used',
    unit: 'months',
    min: 3,
    max: 60,
    justification:
      'A member code nobody has signed in with for a year is no longer someone’s way in: removing it means a lost or passed-on code stops working.',
  },
  auditYears: {
    label: 'Audit entries',
    unit: 'years',
    min: 7,
    max: 25,
    justification:
      'Seven years covers the six years a closed case can still be questioned, and a year more. The entries say who did what to which record, never what was written, so there is nothing personal to remove first.',
  },
  requestDays: {
    label: 'Acting on a person’s deletion request',
    unit: 'days',
    min: 1,
    max: 30,
    justification:
      'The law gives one month to act on a request to erase; 30 days keeps within it. A legal hold stops it, and the person is told why.',
  },
};

export const SCHEDULE_FIELDS = Object.keys(RULES) as ScheduleField[];

const wholeNumber = (field: ScheduleField) => {
  const rule = RULES[field];
  const range = `between ${rule.min} and ${rule.max} ${rule.unit}`;
  return z
    .string({ error: `Enter how many ${rule.unit}, ${range}` })
    .trim()
    .refine((v) => v.length > 0, `Enter how many ${rule.unit}, ${range}`)
    .refine((v) => /^\d{1,4}$/.test(v), `Enter a whole number of ${rule.unit}, like ${DEFAULT_SCHEDULE[field]}`)
    .transform(Number)
    .refine((n) => n >= rule.min && n <= rule.max, `${rule.label}: enter a number ${range}`);
};

/** The form on /admin/retention: every period, each a whole number within its range. */
export const scheduleSchema = z.object(
  Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, wholeNumber(f)])) as Record<
    ScheduleField,
    ReturnType<typeof wholeNumber>
  >,
);

const DAY_MS = 86_400_000;

/** `months` calendar months before `now` (UTC), the same day of the month or the last one it has. */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

/** The moments before which each kind of record is due for erasure. */
export function cutoffs(now: Date, schedule: RetentionSchedule) {
  return {
    uncontacted: monthsBefore(now, schedule.uncontactedMonths),
    closed: monthsBefore(now, schedule.closedYears * 12),
    memberInactive: monthsBefore(now, schedule.memberInactiveMonths),
    audit: monthsBefore(now, schedule.auditYears * 12),
  };
}

/** When a deletion request made at `requestedAt` is due: that many days later. */
export function requestDueAt(requestedAt: string, schedule: RetentionSchedule): Date {
  return new Date(Date.parse(requestedAt) + schedule.requestDays * DAY_MS);
}
