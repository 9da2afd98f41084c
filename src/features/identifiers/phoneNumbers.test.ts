import { describe, expect, it } from 'vitest';
import { displayPhone, normalisePhone } from './phone.ts';

describe('what is not a phone number', () => {
  it('refuses a number with words or letters around it, rather than checking part of it', () => {
    for (const text of ['07700 900123 call me', 'tel 07700 900123', '07700 900123x', '+44 7700 900123 ext 2'])
      expect(normalisePhone(text), text).toBeUndefined();
  });

  it('takes the drama range only as UK mobiles, and only whole', () => {
    // +1 770 090 0123 and a French number with the same digits are not valid where they would be.
    expect(normalisePhone('+1 770 090 0123')).toBeUndefined();
    expect(normalisePhone('+33 7700 900123')).toBeUndefined();
    // A digit too many in front is no drama number.
    expect(normalisePhone('+44 17700 900123')).toBeUndefined();
    expect(normalisePhone('017700 900123')).toBeUndefined();
  });

  it('refuses more than the 15 digits E.164 allows, even where a country’s metadata would take them', () => {
    expect(normalisePhone('49201000000000000')).toBeUndefined();
    expect(normalisePhone('+49 201 12345678')).toBe('+4920112345678');
  });
});

describe('reading a stored number', () => {
  it('shows UK numbers in national form and others in international form', () => {
    expect(displayPhone('+447700900123')).toBe('07700 900123');
    expect(displayPhone('+442079460123')).toBe('020 7946 0123');
    expect(displayPhone('+33612345678')).toBe('+33 6 12 34 56 78');
  });

  it('shows what was stored when it cannot be read as a number', () => {
    expect(displayPhone('not a number')).toBe('not a number');
  });
});
