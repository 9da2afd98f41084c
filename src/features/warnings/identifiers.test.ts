import { describe, expect, it } from 'vitest';
import { applyMask, displayPhone, maskOf, normalisePhone, normaliseRegistration, normaliseRegistrationPattern, registrationMatches } from './identifiers.ts';
import { addMonths, monthLabel } from './warningService.ts';

describe('warning identifiers', () => {
  it('treats the national, international and bare international forms of a UK number as one', () => {
    for (const form of ['07700 900123', '+44 7700 900123', '447700900123', '0044 7700 900123', '(07700) 900-123', '+447700900123']) {
      expect(normalisePhone(form), form).toBe('+447700900123');
    }
    expect(normalisePhone('07700 900124')).toBe('+447700900124');
    expect(normalisePhone('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(displayPhone('+447700900123')).toBe('07700 900123');
  });

  it('refuses what cannot be a phone number', () => {
    for (const bad of ['', '12', 'call me', 'KX12ABC', '07700 9001234567890', '+44 77']) expect(normalisePhone(bad), bad).toBeUndefined();
  });

  it('upper-cases registrations and drops spaces; ? is one unknown character', () => {
    expect(normaliseRegistration('kx12 abc')).toBe('KX12ABC');
    expect(normaliseRegistration('KX12ABC')).toBe('KX12ABC');
    expect(normaliseRegistration('KX?? ?BC')).toBeUndefined();
    expect(normaliseRegistrationPattern('KX?? ?BC')).toBe('KX???BC');
    expect(normaliseRegistrationPattern('????')).toBeUndefined();
    expect(normaliseRegistrationPattern('KX12 ABC DEF GH')).toBeUndefined();
    expect(maskOf('KX???BC')).toBe('0011100');
    expect(applyMask('KX12ABC', '0011100')).toBe('KX???BC');
    expect(applyMask('KX1ABC', '0011100')).toBeUndefined();
  });

  it('matches a full registration against a partial one position by position', () => {
    expect(registrationMatches('KX???BC', 'KX12ABC')).toBe(true);
    expect(registrationMatches('KX???BC', 'KX99ZBC')).toBe(true);
    expect(registrationMatches('KX???BC', 'KX12ABD')).toBe(false);
    expect(registrationMatches('KX???BC', 'KY12ABC')).toBe(false);
    expect(registrationMatches('KX???BC', 'KX1ABC')).toBe(false);
    expect(registrationMatches('KX???BC', 'KX12ABBC')).toBe(false);
  });

  it('keeps only the month of a date, and adds calendar months for expiry', () => {
    expect(monthLabel('2026-10-14')).toBe('October 2026');
    expect(monthLabel('2026-03')).toBe('March 2026');
    expect(monthLabel(null)).toBeNull();
    expect(addMonths(new Date('2026-11-28T22:00:00Z'), 12).toISOString()).toBe('2027-11-28T22:00:00.000Z');
    expect(addMonths(new Date('2027-01-31T10:00:00Z'), 1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  });
});
