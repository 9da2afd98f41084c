import { describe, expect, it } from 'vitest';
import { addMonths, monthLabel } from './warningService.ts';

describe('warning dates', () => {
  it('keeps only the month of a date, and adds calendar months for expiry', () => {
    expect(monthLabel('2026-10-14')).toBe('October 2026');
    expect(monthLabel('2026-03')).toBe('March 2026');
    expect(monthLabel(null)).toBeNull();
    expect(addMonths(new Date('2026-11-28T22:00:00Z'), 12).toISOString()).toBe('2027-11-28T22:00:00.000Z');
    expect(addMonths(new Date('2027-01-31T10:00:00Z'), 1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  });
});
