import { addCalendarDays, dayOfWeek } from './workingDays.ts';

/**
 * England and Wales bank holidays, 2024–2030, as migration 0014 seeded the
 * `bank_holidays` table (the migration keeps its own copy of these rows, so it
 * never changes with this list; administrators add one-off days, such as a
 * coronation or a state funeral, at /admin/bank-holidays).
 *
 * Source: the gov.uk list "Bank holidays: England and Wales"
 * (https://www.gov.uk/bank-holidays, data at https://www.gov.uk/bank-holidays.json),
 * which publishes the years up to 2027. 2028–2030 are computed by the standing
 * rules in `standardBankHolidayEntries` below; migration 0028 removes them from
 * the table, since every year without a published list is now computed at run
 * time (`BankHolidayCalendar`). The test checks that the rules reproduce all of
 * these years exactly, names included.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly { date: string; title: string }[] = [
  // 2024 (published)
  { date: '2024-01-01', title: "New Year's Day" },
  { date: '2024-03-29', title: 'Good Friday' },
  { date: '2024-04-01', title: 'Easter Monday' },
  { date: '2024-05-06', title: 'Early May bank holiday' },
  { date: '2024-05-27', title: 'Spring bank holiday' },
  { date: '2024-08-26', title: 'Summer bank holiday' },
  { date: '2024-12-25', title: 'Christmas Day' },
  { date: '2024-12-26', title: 'Boxing Day' },
  // 2025 (published)
  { date: '2025-01-01', title: "New Year's Day" },
  { date: '2025-04-18', title: 'Good Friday' },
  { date: '2025-04-21', title: 'Easter Monday' },
  { date: '2025-05-05', title: 'Early May bank holiday' },
  { date: '2025-05-26', title: 'Spring bank holiday' },
  { date: '2025-08-25', title: 'Summer bank holiday' },
  { date: '2025-12-25', title: 'Christmas Day' },
  { date: '2025-12-26', title: 'Boxing Day' },
  // 2026 (published)
  { date: '2026-01-01', title: "New Year's Day" },
  { date: '2026-04-03', title: 'Good Friday' },
  { date: '2026-04-06', title: 'Easter Monday' },
  { date: '2026-05-04', title: 'Early May bank holiday' },
  { date: '2026-05-25', title: 'Spring bank holiday' },
  { date: '2026-08-31', title: 'Summer bank holiday' },
  { date: '2026-12-25', title: 'Christmas Day' },
  { date: '2026-12-28', title: 'Boxing Day (substitute day)' },
  // 2027 (published)
  { date: '2027-01-01', title: "New Year's Day" },
  { date: '2027-03-26', title: 'Good Friday' },
  { date: '2027-03-29', title: 'Easter Monday' },
  { date: '2027-05-03', title: 'Early May bank holiday' },
  { date: '2027-05-31', title: 'Spring bank holiday' },
  { date: '2027-08-30', title: 'Summer bank holiday' },
  { date: '2027-12-27', title: 'Christmas Day (substitute day)' },
  { date: '2027-12-28', title: 'Boxing Day (substitute day)' },
  // 2028 (computed)
  { date: '2028-01-03', title: "New Year's Day (substitute day)" },
  { date: '2028-04-14', title: 'Good Friday' },
  { date: '2028-04-17', title: 'Easter Monday' },
  { date: '2028-05-01', title: 'Early May bank holiday' },
  { date: '2028-05-29', title: 'Spring bank holiday' },
  { date: '2028-08-28', title: 'Summer bank holiday' },
  { date: '2028-12-25', title: 'Christmas Day' },
  { date: '2028-12-26', title: 'Boxing Day' },
  // 2029 (computed)
  { date: '2029-01-01', title: "New Year's Day" },
  { date: '2029-03-30', title: 'Good Friday' },
  { date: '2029-04-02', title: 'Easter Monday' },
  { date: '2029-05-07', title: 'Early May bank holiday' },
  { date: '2029-05-28', title: 'Spring bank holiday' },
  { date: '2029-08-27', title: 'Summer bank holiday' },
  { date: '2029-12-25', title: 'Christmas Day' },
  { date: '2029-12-26', title: 'Boxing Day' },
  // 2030 (computed)
  { date: '2030-01-01', title: "New Year's Day" },
  { date: '2030-04-19', title: 'Good Friday' },
  { date: '2030-04-22', title: 'Easter Monday' },
  { date: '2030-05-06', title: 'Early May bank holiday' },
  { date: '2030-05-27', title: 'Spring bank holiday' },
  { date: '2030-08-26', title: 'Summer bank holiday' },
  { date: '2030-12-25', title: 'Christmas Day' },
  { date: '2030-12-26', title: 'Boxing Day' },
];

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Easter Sunday (Gregorian; anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

function firstMonday(year: number, month: number): string {
  let d = ymd(year, month, 1);
  while (dayOfWeek(d) !== 1) d = addCalendarDays(d, 1);
  return d;
}

function lastMonday(year: number, month: number): string {
  let d = addCalendarDays(month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1), -1);
  while (dayOfWeek(d) !== 1) d = addCalendarDays(d, -1);
  return d;
}

/**
 * The standing England and Wales rules (Banking and Financial Dealings Act 1971
 * and royal proclamations): New Year's Day, Good Friday, Easter Monday, first
 * Monday of May, last Monday of May, last Monday of August, Christmas Day and
 * Boxing Day; a holiday on a Saturday or Sunday moves to the next weekday not
 * already a holiday (so Christmas on Saturday → Monday 27th, Boxing Day → Tuesday 28th;
 * Christmas on Sunday → Tuesday 27th, Boxing Day staying on Monday 26th).
 * One-off changes (2020 VE Day, 2022 Jubilee, 2023 Coronation) are not rules:
 * administrators add them. Titles follow gov.uk ("Boxing Day (substitute day)").
 */
export function standardBankHolidayEntries(year: number): { date: string; title: string }[] {
  const easter = easterSunday(year);
  const fixed: [string, string][] = [
    [ymd(year, 1, 1), "New Year's Day"],
    [addCalendarDays(easter, -2), 'Good Friday'],
    [addCalendarDays(easter, 1), 'Easter Monday'],
    [firstMonday(year, 5), 'Early May bank holiday'],
    [lastMonday(year, 5), 'Spring bank holiday'],
    [lastMonday(year, 8), 'Summer bank holiday'],
    [ymd(year, 12, 25), 'Christmas Day'],
    [ymd(year, 12, 26), 'Boxing Day'],
  ];
  const weekend = (d: string) => dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
  // Days on a weekday keep their date first, so with Christmas on a Sunday
  // Monday 26th is Boxing Day and Tuesday 27th the substitute Christmas Day.
  const days = new Map<string, string>(fixed.filter(([d]) => !weekend(d)));
  for (const [date, title] of fixed.filter(([d]) => weekend(d))) {
    let d = date;
    while (weekend(d) || days.has(d)) d = addCalendarDays(d, 1);
    days.set(d, `${title} (substitute day)`);
  }
  return [...days].map(([date, title]) => ({ date, title })).sort((a, b) => a.date.localeCompare(b.date));
}

export function standardBankHolidays(year: number): string[] {
  return standardBankHolidayEntries(year).map((h) => h.date);
}

/** A row of the `bank_holidays` table. */
export interface BankHolidayRow {
  date: string;
  title: string;
  /** 'bundled': a published gov.uk list shipped with the service; 'admin': a one-off day added by an administrator; 'cancelled': an administrator removed that day. */
  source: 'bundled' | 'admin' | 'cancelled';
}

export type BankHolidaySource = 'bundled' | 'admin' | 'rules';

/**
 * The bank holiday calendar the Victims' Code clock counts with, for any year.
 * A year with a published list loaded (any 'bundled' row) uses that list; any
 * other year uses the standing rules, so a deadline in 2031 still skips Easter
 * Monday and substitute days. On top of either, administrators' one-off days
 * are holidays and the days they removed ('cancelled') are not: their word
 * overrides both the published list and the rules.
 */
export class BankHolidayCalendar {
  private readonly explicit = new Map<string, { title: string; source: 'bundled' | 'admin' }>();
  private readonly cancelled = new Set<string>();
  private readonly published = new Set<number>();
  private readonly computed = new Map<number, Map<string, string>>();

  constructor(rows: readonly BankHolidayRow[]) {
    for (const r of rows) {
      if (r.source === 'cancelled') this.cancelled.add(r.date);
      else this.explicit.set(r.date, { title: r.title, source: r.source });
      if (r.source === 'bundled') this.published.add(yearOf(r.date));
    }
  }

  /** Whether a year's days come from a published list (false: the standing rules). */
  hasPublishedList(year: number): boolean {
    return this.published.has(year);
  }

  private rulesFor(year: number): Map<string, string> {
    let days = this.computed.get(year);
    if (!days) {
      days = new Map(standardBankHolidayEntries(year).map((h) => [h.date, h.title]));
      this.computed.set(year, days);
    }
    return days;
  }

  /** The holiday on `date` and where it comes from, or null when that date is not a bank holiday. */
  lookup(date: string): { date: string; title: string; source: BankHolidaySource } | null {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || this.cancelled.has(date)) return null;
    const row = this.explicit.get(date);
    if (row) return { date, ...row };
    const year = yearOf(date);
    if (this.published.has(year)) return null;
    const title = this.rulesFor(year).get(date);
    return title === undefined ? null : { date, title, source: 'rules' };
  }

  has(date: string): boolean {
    return this.lookup(date) !== null;
  }

  /** Every bank holiday in the years `from`–`to`, by date, then administrators' one-off days in later years. */
  between(from: number, to: number): { date: string; title: string; source: BankHolidaySource }[] {
    const dates = new Set<string>();
    for (const [d, row] of this.explicit)
      if (yearOf(d) >= from && (yearOf(d) <= to || row.source === 'admin')) dates.add(d);
    for (let y = from; y <= to; y++) if (!this.published.has(y)) for (const d of this.rulesFor(y).keys()) dates.add(d);
    return [...dates].sort().flatMap((d) => this.lookup(d) ?? []);
  }
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
