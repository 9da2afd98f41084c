import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMask,
  displayPhone,
  maskOf,
  normalisePhone,
  normaliseRegistration,
  normaliseRegistrationPattern,
  readIdentifier,
  registrationsFit,
} from './index.ts';
import {
  fullFitting,
  nonIdentifier,
  partialOf,
  typedPhone,
  typedRegistration,
} from '../../../test/support/typedIdentifiers.ts';

describe('phone numbers', () => {
  it('treats the national, international and bare international forms of a UK number as one', () => {
    for (const form of [
      '07700 900123',
      '+44 7700 900123',
      '447700900123',
      '0044 7700 900123',
      '(07700) 900-123',
      '+447700900123',
      '+44 (0) 7700 900123',
      '7700 900123',
    ]) {
      expect(normalisePhone(form), form).toBe('+447700900123');
    }
    expect(normalisePhone('07700 900124')).toBe('+447700900124');
    expect(normalisePhone('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(normalisePhone('020 7946 0123')).toBe('+442079460123');
    expect(displayPhone('+447700900123')).toBe('07700 900123');
  });

  it('accepts the whole Ofcom drama range as mobiles, though the metadata does not call them valid', () => {
    for (const n of ['07700 900000', '07700 900999', '07700 900500'])
      expect(normalisePhone(n), n).toMatch(/^\+447700900\d{3}$/);
  });

  it('refuses what cannot be a phone number, including a UK number a digit short', () => {
    for (const bad of ['', '12', 'call me', 'KX12ABC', '07700 9001234567890', '+44 77', '07700 90012', '0770090'])
      expect(normalisePhone(bad), bad).toBeUndefined();
  });

  it('reads every usual way of typing a number as the same E.164 number', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom('+447700900123', '+447700900999', '+442079460123', '+447911123456', '+33612345678')
          .chain((e164) => fc.tuple(fc.constant(e164), typedPhone(e164))),
        ([e164, typed]) => {
          expect(normalisePhone(typed), typed).toBe(e164);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('registrations', () => {
  it('upper-cases and drops spaces and hyphens; ? is one unknown character', () => {
    expect(normaliseRegistration('kx12 abc')).toBe('KX12ABC');
    expect(normaliseRegistration('KX-12-ABC')).toBe('KX12ABC');
    expect(normaliseRegistration('KX?? ?BC')).toBeUndefined();
    expect(normaliseRegistrationPattern('KX?? ?BC')).toBe('KX???BC');
    expect(normaliseRegistrationPattern('????')).toBeUndefined();
    expect(normaliseRegistrationPattern('KX12 ABC DEF GH')).toBeUndefined();
    expect(maskOf('KX???BC')).toBe('0011100');
    expect(applyMask('KX12ABC', '0011100')).toBe('KX???BC');
    expect(applyMask('KX1ABC', '0011100')).toBeUndefined();
  });

  it('refuses words: a registration has a digit or an unknown character', () => {
    for (const word of ['call me', 'HELLO', 'ab']) expect(normaliseRegistrationPattern(word), word).toBeUndefined();
  });

  it('fits a full or partial registration to another position by position', () => {
    expect(registrationsFit('KX???BC', 'KX12ABC')).toBe(true);
    expect(registrationsFit('KX12ABC', 'KX???BC')).toBe(true);
    expect(registrationsFit('KX???BC', '??12A??')).toBe(true);
    expect(registrationsFit('KX???BC', 'KX12ABD')).toBe(false);
    expect(registrationsFit('KX???BC', 'KY12ABC')).toBe(false);
    expect(registrationsFit('KX???BC', 'KX1ABC')).toBe(false);
  });

  it('reads a typed plate (any case, spaces, dashes) as the stored one, and its partial forms fit it both ways', () => {
    const plate = fc.stringMatching(/^[A-Z]{2}[0-9]{2}[A-Z]{3}$|^[A-Z][0-9]{1,3}[A-Z]{3}$|^[A-Z]{3}[0-9]{1,3}[A-Z]$/);
    fc.assert(
      fc.property(
        plate.chain((stored) =>
          fc.tuple(
            fc.constant(stored),
            typedRegistration(stored),
            partialOf(stored).chain((p) => fc.tuple(fc.constant(p), typedRegistration(p), fullFitting(p))),
          ),
        ),
        ([stored, typed, [partial, typedPartial, other]]) => {
          expect(normaliseRegistrationPattern(typed), typed).toBe(stored);
          expect(normaliseRegistrationPattern(typedPartial), typedPartial).toBe(partial);
          expect(registrationsFit(partial, stored)).toBe(true);
          expect(registrationsFit(stored, partial)).toBe(true);
          expect(registrationsFit(partial, other)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('reading one box', () => {
  it('recognises a phone number or a registration by itself', () => {
    expect(readIdentifier('07700 900123')).toEqual({ kind: 'phone', phone: '+447700900123' });
    expect(readIdentifier('kx12 abc')).toEqual({ kind: 'registration', registration: 'KX12ABC' });
    expect(readIdentifier('KX?? ?BC')).toEqual({ kind: 'registration', registration: 'KX???BC' });
    expect(readIdentifier('call me')).toEqual({ kind: 'unreadable' });
  });

  it('never reads a non-identifier as a phone number or a registration', () => {
    fc.assert(
      fc.property(nonIdentifier, (text) => {
        expect(readIdentifier(text), text).toEqual({ kind: 'unreadable' });
      }),
      { numRuns: 1000 },
    );
  });

  it('asks only when both readings work, and takes the answer', () => {
    // 50051234 is a Falklands mobile typed without its plus, and eight digits could be a plate.
    expect(readIdentifier('50051234')).toEqual({ kind: 'ambiguous', phone: '+50051234', registration: '50051234' });
    expect(readIdentifier('50051234', 'phone')).toEqual({ kind: 'phone', phone: '+50051234' });
    expect(readIdentifier('50051234', 'registration')).toEqual({ kind: 'registration', registration: '50051234' });
    expect(readIdentifier('07700 900123', 'registration')).toEqual({ kind: 'phone', phone: '+447700900123' });
  });
});
