import { describe, expect, it } from 'vitest';
import {
  BankHolidayCalendar,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  easterSunday,
  type BankHolidayRow,
} from './bankHolidays.ts';
import { addCalendarDays, addWorkingDays, londonInstant } from './workingDays.ts';

const published: BankHolidayRow[] = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date < '2028-01-01').map((h) => ({
  ...h,
  source: 'bundled',
}));

describe('calendar dates', () => {
  it('refuses anything but a real YYYY-MM-DD date, saying which', () => {
    for (const bad of ['2026-1-01', 'x2026-01-01', '2026-01-01x', '1 July 2026', ''])
      expect(() => addCalendarDays(bad, 1), bad).toThrow(new RangeError(`Not a date (YYYY-MM-DD): ${bad}`));
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(new RangeError('Not a real date: 2026-02-30'));
    expect(() => addWorkingDays('2026-02-03', 1.5, new Set())).toThrow(
      new RangeError('Working days must be a whole number ≥ 0: 1.5'),
    );
  });
});

describe('UK wall-clock times', () => {
  it('reads the last minute of an hour and of a day', () => {
    expect(londonInstant('2030-07-01', '10:59')?.toISOString()).toBe('2030-07-01T09:59:00.000Z');
    expect(londonInstant('2030-07-01', '23:30')?.toISOString()).toBe('2030-07-01T22:30:00.000Z');
    expect(londonInstant('2030-12-02', '23:59')?.toISOString()).toBe('2030-12-02T23:59:00.000Z');
    expect(londonInstant('2030-07-01', '9:05')?.toISOString()).toBe('2030-07-01T08:05:00.000Z');
  });

  it('refuses a minute past 59 and anything that is not a time or a date', () => {
    for (const [date, time] of [
      ['2030-07-01', '10:60'],
      ['2030-07-01', '23:60'],
      ['2030-07-01', '10:00pm'],
      ['2030-07-01', 'at 10:00'],
      ['2030-07-01', 'ten'],
      ['1 July 2030', '10:00'],
      ['2030-07-01x', '10:00'],
    ])
      expect(londonInstant(date!, time!), `${date} ${time}`).toBeNull();
  });

  it('takes the summer-time reading of the hour that happens twice when the clocks go back', () => {
    // 27 October 2030: 00:30 is still summer time (23:30 UTC the day before); 01:30 happens twice.
    expect(londonInstant('2030-10-27', '00:30')?.toISOString()).toBe('2030-10-26T23:30:00.000Z');
    expect(londonInstant('2030-10-27', '02:30')?.toISOString()).toBe('2030-10-27T02:30:00.000Z');
    expect(londonInstant('2030-03-31', '03:00')?.toISOString()).toBe('2030-03-31T02:00:00.000Z');
  });
});

describe('Easter in any century', () => {
  it('applies the correction of the tables in the years that need it: 19 April 1981, 18 April 2049, 19 April 2076', () => {
    expect([1954, 1981, 2049, 2076].map((y) => easterSunday(y))).toEqual([
      '1954-04-18',
      '1981-04-19',
      '2049-04-18',
      '2076-04-19',
    ]);
  });

  it('falls on the dates of the Gregorian tables, earliest and latest included', () => {
    expect([1700, 1818, 1900, 1943, 1961, 2008, 2011, 2038, 2100, 2200, 2285].map((y) => easterSunday(y))).toEqual([
      '1700-04-11',
      '1818-03-22',
      '1900-04-15',
      '1943-04-25',
      '1961-04-02',
      '2008-03-23',
      '2011-04-24',
      '2038-04-25',
      '2100-03-28',
      '2200-04-06',
      '2285-03-22',
    ]);
  });
});

describe('a published year', () => {
  it('is exactly its list: a day the rules would give but the list moved is no holiday', () => {
    // 2020: the early May bank holiday moved from Monday 4 May to Friday 8 May (VE Day).
    const calendar = new BankHolidayCalendar([
      { date: '2020-01-01', title: "New Year's Day", source: 'bundled' },
      { date: '2020-05-08', title: 'Early May bank holiday (VE day)', source: 'bundled' },
    ]);
    expect(calendar.has('2020-05-08')).toBe(true);
    expect(calendar.has('2020-05-04')).toBe(false);
    expect(calendar.lookup('2020-12-25')).toBeNull();
    // The year after has no list, so the rules give it.
    expect(calendar.lookup('2021-05-03')).toEqual({
      date: '2021-05-03',
      title: 'Early May bank holiday',
      source: 'rules',
    });
  });

  it('lists only the years asked for, with the published days as published', () => {
    const calendar = new BankHolidayCalendar(published);
    const listed = calendar.between(2026, 2027);
    expect(listed.map((h) => h.date)).toEqual(published.filter((h) => h.date >= '2026').map((h) => h.date));
    expect(listed.every((h) => h.source === 'bundled')).toBe(true);
    expect(calendar.between(2025, 2025).map((h) => h.date)).toEqual(
      published.filter((h) => h.date.startsWith('2025-')).map((h) => h.date),
    );
  });

  it('reads nothing into a date with anything before it', () => {
    const calendar = new BankHolidayCalendar(published);
    expect(calendar.lookup('x2030-12-25')).toBeNull();
    expect(calendar.has('x2030-12-25')).toBe(false);
  });
});
