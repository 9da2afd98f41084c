import { describe, expect, it } from 'vitest';
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, easterSunday, standardBankHolidays } from './bankHolidays.ts';
import { addWorkingDays, isWorkingDay, londonDate } from './workingDays.ts';

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
      expect(standardBankHolidays(year)).toEqual(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => h.date));
    }
  });

  it('computes Easter and a Sunday Christmas correctly', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2030)).toBe('2030-04-21');
    expect(standardBankHolidays(2022).slice(-2)).toEqual(['2022-12-26', '2022-12-27']);
    expect(standardBankHolidays(2033)).toHaveLength(8);
  });
});
