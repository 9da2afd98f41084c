import { z } from 'zod';

/**
 * Calendar dates as ISO-8601 text (YYYY-MM-DD), the one way every feature
 * checks them. `Date.parse` alone accepts year 0 and rolls 2026-02-30 into
 * March, so the day is checked against the month's real length here.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** True for a date that exists on the calendar, year 1000 to 9999. */
export function isRealDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True for a real month written YYYY-MM, year 1000 to 9999. */
export function isRealMonth(value: string): boolean {
  const match = ISO_MONTH.exec(value);
  return !!match && Number(match[1]) >= 1000 && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** A zod string that must be a real calendar date; `message` says what to type. */
export function isoDate(message = 'Enter a real date, like 2026-11-27') {
  return z.string({ message }).trim().refine(isRealDate, message);
}

/** The date `days` after (or before) a real date. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The same day `years` later (or earlier); 29 February becomes 28 February in other years. */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const to = year + years;
  return `${String(to).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, daysInMonth(to, month))).padStart(2, '0')}`;
}

const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the UK, where the people and the charity are (YYYY-MM-DD). */
export function ukDate(now: Date): string {
  return LONDON.format(now);
}

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

/** "27 November 2026" or "November 2026" for YYYY-MM-DD or YYYY-MM; anything else unchanged. */
export function dateInWords(value: string): string {
  const [year, month, day] = value.split('-');
  const name = MONTHS[Number(month) - 1];
  if (!year || !name) return value;
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}
