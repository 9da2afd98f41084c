import { describe, expect, it } from 'vitest';
import { addDays, addYears, dateInWords, isRealDate, isRealMonth, isoDate, ukDate } from './isoDate.ts';

describe('calendar dates', () => {
  it('accepts only days that exist', () => {
    for (const real of ['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '1950-01-01'])
      expect(isRealDate(real), real).toBe(true);
    for (const unreal of [
      '2026-02-29',
      '2026-02-30',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0000-01-01',
      '0999-12-31',
      '2026-1-1',
      '26-01-01',
      '2026-01-01T00:00',
      ' 2026-01-01',
      '',
    ]) {
      expect(isRealDate(unreal), unreal).toBe(false);
    }
    expect(isRealMonth('2026-11')).toBe(true);
    expect(isRealMonth('2026-13')).toBe(false);
    expect(isRealMonth('0000-01')).toBe(false);
  });

  it('gives one zod check with the caller’s plain message', () => {
    const schema = isoDate('Enter a real due date');
    expect(schema.safeParse(' 2026-03-01 ').data).toBe('2026-03-01');
    expect(schema.safeParse('2026-02-30').error?.issues.map((i) => i.message)).toEqual(['Enter a real due date']);
    expect(schema.safeParse(20260301).error?.issues.map((i) => i.message)).toEqual(['Enter a real due date']);
  });

  it('moves by days and years, and says dates in words', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 10)).toBe('2034-02-28');
    expect(addYears('2026-12-01', -10)).toBe('2016-12-01');
    expect(dateInWords('2026-11')).toBe('November 2026');
    expect(dateInWords('2026-02-03')).toBe('3 February 2026');
    // The UK date, not the UTC one: 23:30 UTC in summer is already tomorrow in London.
    expect(ukDate(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(ukDate(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });
});
