/**
 * Working days for the Victims' Code clock (pure; no clock, no database).
 *
 * A working day is Monday to Friday and not a bank holiday. Dates are calendar
 * strings 'YYYY-MM-DD' (UK local dates), handled in UTC arithmetic so that no
 * time zone or summer-time change can shift a day.
 *
 * Counting rule: the day of the event is day 0, whatever the time of day and
 * whether or not it is itself a working day. "Within n working days" means by
 * the end of the n-th working day after it. So an event on Friday evening with
 * 1 working day is due on Monday (Tuesday when Monday is a bank holiday); an
 * event on Saturday with 1 working day is also due on Monday; an event on
 * 24 December 2026 (Thursday) with 1 working day is due on 29 December (25th is
 * Christmas, 26-27 the weekend, 28 the substitute Boxing Day).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Which dates are bank holidays: a Set, or the calendar of any year (`BankHolidayCalendar`). */
export interface Holidays {
  has(date: string): boolean;
}

function parse(date: string): Date {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== date) throw new RangeError(`Not a real date: ${date}`);
  return d;
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar date n days after (or before, when negative) `date`. */
export function addCalendarDays(date: string, n: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + n);
  return format(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return parse(date).getUTCDay();
}

export function isWorkingDay(date: string, holidays: Holidays): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !holidays.has(date);
}

/** The n-th working day after `fromDate` (n ≥ 0; n = 0 gives `fromDate` itself). */
export function addWorkingDays(fromDate: string, n: number, holidays: Holidays): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a whole number ≥ 0: ${n}`);
  let date = format(parse(fromDate));
  let left = n;
  while (left > 0) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(date, holidays)) left -= 1;
  }
  return date;
}

/** The UK calendar date (Europe/London) of an instant, so an event at 23:30 BST counts on that day. */
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonDate(at: Date): string {
  const parts = LONDON.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The last working day strictly before `date` (weekends and bank holidays skipped). */
export function workingDayBefore(date: string, holidays: Holidays): string {
  let d = addCalendarDays(date, -1);
  while (!isWorkingDay(d, holidays)) d = addCalendarDays(d, -1);
  return d;
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The instant of a UK wall-clock date and time ('YYYY-MM-DD', 'HH:MM'), whatever the summer-time offset; null when it is not a real date or time. */
export function londonInstant(date: string, time: string): Date | null {
  const d = DATE.exec(date);
  const t = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  if (new Date(wall).toISOString().slice(0, 10) !== date) return null;
  const offsetAt = (instant: number) => {
    const p = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - instant;
  };
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant);
}
