import { describe, expect, it } from 'vitest';
import {
  BankHolidayCalendar,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  easterSunday,
  standardBankHolidayEntries,
  standardBankHolidays,
  type BankHolidayRow,
} from './bankHolidays.ts';
import { addWorkingDays, isWorkingDay, londonDate, londonInstant, workingDayBefore } from './workingDays.ts';

const holidays = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS.map((h) => h.date));

describe('working days', () => {
  it('skips the weekend: an event on Friday evening with 1 working day is due on Monday', () => {
    expect(addWorkingDays('2026-11-27', 1, holidays)).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-28', 1, holidays)).toBe('2026-11-30'); // Saturday
    expect(addWorkingDays('2026-11-23', 5, holidays)).toBe('2026-11-30'); // Monday + 5 = next Monday
    expect(addWorkingDays('2026-11-25', 0, holidays)).toBe('2026-11-25');
  });

  it('skips a weekend followed by a bank holiday Monday', () => {
    expect(addWorkingDays('2026-08-28', 1, holidays)).toBe('2026-09-01'); // summer bank holiday 31 Aug
    expect(addWorkingDays('2026-05-22', 1, holidays)).toBe('2026-05-26'); // spring bank holiday 25 May
  });

  it('skips Easter: Good Friday and Easter Monday', () => {
    expect(addWorkingDays('2026-04-02', 1, holidays)).toBe('2026-04-07');
    expect(addWorkingDays('2027-03-25', 5, holidays)).toBe('2027-04-05'); // 30, 31, 1, 2, 5
  });

  it('crosses Christmas and the New Year, with substitute days', () => {
    expect(addWorkingDays('2026-12-24', 1, holidays)).toBe('2026-12-29'); // 25 Fri, 26-27 weekend, 28 substitute Boxing Day
    expect(addWorkingDays('2026-12-31', 1, holidays)).toBe('2027-01-04'); // 1 Jan Fri, weekend
    expect(addWorkingDays('2027-12-24', 1, holidays)).toBe('2027-12-29'); // 27 and 28 both substitutes
    expect(addWorkingDays('2027-12-31', 1, holidays)).toBe('2028-01-04'); // 3 Jan substitute New Year's Day
    expect(addWorkingDays('2026-12-23', 5, holidays)).toBe('2027-01-04'); // 24, 29, 30, 31, 4
  });

  it('knows what a working day is', () => {
    expect(isWorkingDay('2026-12-28', holidays)).toBe(false);
    expect(isWorkingDay('2026-12-29', holidays)).toBe(true);
    expect(isWorkingDay('2026-11-29', holidays)).toBe(false);
    expect(() => addWorkingDays('2026-02-30', 1, holidays)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-03', -1, holidays)).toThrow(RangeError);
  });

  it('counts an event by its UK date, so late evening in summer time is that day', () => {
    expect(londonDate(new Date('2026-07-03T23:30:00Z'))).toBe('2026-07-04'); // 00:30 BST Saturday
    expect(londonDate(new Date('2026-11-27T23:30:00Z'))).toBe('2026-11-27'); // GMT
  });
});

describe('England and Wales bank holidays', () => {
  it('the standing rules reproduce every bundled year, including the gov.uk published ones', () => {
    for (let year = 2024; year <= 2030; year++) {
      expect(standardBankHolidays(year)).toEqual(
        ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => h.date),
      );
    }
  });

  it('computes Easter and a Sunday Christmas correctly', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2030)).toBe('2030-04-21');
    expect(standardBankHolidays(2022).slice(-2)).toEqual(['2022-12-26', '2022-12-27']);
    expect(standardBankHolidays(2033)).toHaveLength(8);
  });

  it('names the days as gov.uk does, substitute days included', () => {
    for (let year = 2024; year <= 2030; year++) {
      expect(standardBankHolidayEntries(year)).toEqual(
        ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)),
      );
    }
    // Christmas on a Sunday (as in 2022): Boxing Day keeps Monday 26th, Christmas moves to Tuesday 27th.
    expect(standardBankHolidayEntries(2033).slice(-2)).toEqual([
      { date: '2033-12-26', title: 'Boxing Day' },
      { date: '2033-12-27', title: 'Christmas Day (substitute day)' },
    ]);
  });
});

describe('the bank holiday calendar of any year', () => {
  // The published gov.uk years as the database holds them after migrations.
  const published: BankHolidayRow[] = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date < '2028-01-01').map((h) => ({
    ...h,
    source: 'bundled',
  }));

  it('counts deadlines past the published list with the standing rules: Easter and substitute days', () => {
    const calendar = new BankHolidayCalendar(published);
    expect(calendar.hasPublishedList(2027)).toBe(true);
    expect(calendar.hasPublishedList(2031)).toBe(false);
    // Thursday 10 April 2031 + 1: Good Friday 11th, weekend, Easter Monday 14th.
    expect(addWorkingDays('2031-04-10', 1, calendar)).toBe('2031-04-15');
    // Friday 24 December 2032 + 1: Christmas on Saturday, so Monday 27th and Tuesday 28th are substitute days.
    expect(addWorkingDays('2032-12-24', 1, calendar)).toBe('2032-12-29');
    // Friday 31 December 2032 + 1: New Year's Day 2033 is a Saturday, substitute Monday 3 January.
    expect(addWorkingDays('2032-12-31', 1, calendar)).toBe('2033-01-04');
    expect(workingDayBefore('2031-04-15', calendar)).toBe('2031-04-10');
    // A published year is not doubled by the rules: the table's list is the whole of it.
    expect(calendar.has('2027-12-27')).toBe(true);
    expect(
      new BankHolidayCalendar([...published, { date: '2026-01-01', title: "New Year's Day", source: 'cancelled' }]).has(
        '2026-01-01',
      ),
    ).toBe(false);
  });

  it("honours administrators' days over the rules: a one-off added, a moved day removed", () => {
    const calendar = new BankHolidayCalendar([
      ...published,
      { date: '2032-06-04', title: 'Jubilee bank holiday', source: 'admin' },
      { date: '2032-05-31', title: 'Spring bank holiday', source: 'cancelled' },
    ]);
    expect(addWorkingDays('2032-06-03', 1, calendar)).toBe('2032-06-07');
    expect(addWorkingDays('2032-05-28', 1, calendar)).toBe('2032-05-31');
    expect(calendar.between(2032, 2032).filter((h) => h.date.startsWith('2032-0'))).toEqual([
      { date: '2032-01-01', title: "New Year's Day", source: 'rules' },
      { date: '2032-03-26', title: 'Good Friday', source: 'rules' },
      { date: '2032-03-29', title: 'Easter Monday', source: 'rules' },
      { date: '2032-05-03', title: 'Early May bank holiday', source: 'rules' },
      { date: '2032-06-04', title: 'Jubilee bank holiday', source: 'admin' },
      { date: '2032-08-30', title: 'Summer bank holiday', source: 'rules' },
    ]);
    expect(calendar.lookup('not-a-date')).toBeNull();
    // Later years: only the one-off days an administrator added.
    expect(calendar.between(2031, 2031).map((h) => h.date)).toEqual([...standardBankHolidays(2031), '2032-06-04']);
  });
});

describe('UK wall-clock times and the working day before', () => {
  it('reads UK wall-clock times in winter and summer, and refuses unreal ones', () => {
    expect(londonInstant('2030-12-27', '10:00')?.toISOString()).toBe('2030-12-27T10:00:00.000Z');
    expect(londonInstant('2030-07-01', '10:00')?.toISOString()).toBe('2030-07-01T09:00:00.000Z');
    expect(londonInstant('2030-02-30', '10:00')).toBeNull();
    expect(londonInstant('2030-02-01', '24:00')).toBeNull();
  });

  it('finds the working day before, over weekends and bank holidays', () => {
    const holidays = new Set(['2030-04-19', '2030-04-22', '2030-12-25', '2030-12-26']);
    expect(workingDayBefore('2030-03-04', holidays)).toBe('2030-03-01');
    expect(workingDayBefore('2030-04-23', holidays)).toBe('2030-04-18');
    expect(workingDayBefore('2030-12-27', holidays)).toBe('2030-12-24');
  });
});
