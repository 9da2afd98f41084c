import { describe, expect, it } from 'vitest';
import { describeIdentifier, readCheckForm } from './checkForm.ts';

const UNREADABLE =
  'We could not read that as a phone number or a registration. Check it and try again, for example 07700 900123 or KX12 ABC (use ? for a character you do not know).';
const WHICH = 'Choose whether this is a phone number or a vehicle registration';

describe('the one box of a number or vehicle check', () => {
  it('checks a phone number or a registration, trimmed', () => {
    expect(readCheckForm({ value: '  07700 900123 ' })).toEqual({
      ok: true,
      identifier: { kind: 'phone', phone: '+447700900123' },
      value: '07700 900123',
    });
    expect(readCheckForm({ value: 'kx?? ?bc' })).toEqual({
      ok: true,
      identifier: { kind: 'registration', registration: 'KX???BC' },
      value: 'kx?? ?bc',
    });
  });

  it('asks for something when the box is empty or blank', () => {
    for (const fields of [{}, { value: '' }, { value: '   ' }, { value: undefined }])
      expect(readCheckForm(fields)).toEqual({
        ok: false,
        field: 'value',
        message: 'Enter a phone number or a vehicle registration',
        ambiguous: false,
        value: '',
      });
  });

  it('refuses more than 40 characters, keeping the first 40 to show', () => {
    const long = `07700 900123 ${'x'.repeat(40)}`;
    expect(readCheckForm({ value: long })).toEqual({
      ok: false,
      field: 'value',
      message: 'Enter 40 characters or fewer',
      ambiguous: false,
      value: long.slice(0, 40),
    });
    // Exactly 40 is read (and here is not readable).
    expect(readCheckForm({ value: 'a'.repeat(40) })).toMatchObject({ ok: false, message: UNREADABLE });
  });

  it('says plainly when it cannot read the box, and never checks it', () => {
    expect(readCheckForm({ value: 'call me' })).toEqual({
      ok: false,
      field: 'value',
      message: UNREADABLE,
      ambiguous: false,
      value: 'call me',
    });
  });

  it('asks which was meant when both readings work, then takes the answer', () => {
    expect(readCheckForm({ value: '50051234' })).toEqual({
      ok: false,
      field: 'kind',
      message: WHICH,
      ambiguous: true,
      value: '50051234',
    });
    expect(readCheckForm({ value: '50051234', kind: 'phone' })).toMatchObject({
      ok: true,
      identifier: { kind: 'phone', phone: '+50051234' },
    });
    expect(readCheckForm({ value: '50051234', kind: 'registration' })).toMatchObject({
      ok: true,
      identifier: { kind: 'registration', registration: '50051234' },
    });
    // Any other answer is no answer: the page asks again.
    expect(readCheckForm({ value: '50051234', kind: 'email' })).toMatchObject({ ok: false, ambiguous: true });
  });
});

describe('how the page says what was checked', () => {
  it('names a phone number as people write it, and a whole or partial registration', () => {
    expect(describeIdentifier({ kind: 'phone', phone: '+447700900123' })).toBe('the phone number 07700 900123');
    expect(describeIdentifier({ kind: 'phone', phone: '+33612345678' })).toBe('the phone number +33 6 12 34 56 78');
    expect(describeIdentifier({ kind: 'registration', registration: 'KX12ABC' })).toBe('the registration KX12ABC');
    expect(describeIdentifier({ kind: 'registration', registration: 'KX???BC' })).toBe(
      'the partial registration KX???BC',
    );
  });
});
