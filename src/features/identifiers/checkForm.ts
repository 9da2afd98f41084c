import { displayPhone } from './phone.ts';
import { AMBIGUOUS_MESSAGE, readIdentifier, UNREADABLE_MESSAGE, type CheckIdentifier } from './readIdentifier.ts';

export type CheckForm =
  | { ok: true; identifier: CheckIdentifier; value: string }
  /** `ambiguous`: the page asks whether the value is a phone number or a registration. */
  | { ok: false; field: 'value' | 'kind'; message: string; ambiguous: boolean; value: string };

/**
 * The one box of a number or vehicle check (`value`, and `kind` once the page
 * has asked which was meant). Every answer that is not a readable identifier
 * is a problem to show, so nothing unreadable is ever checked and not found.
 */
export function readCheckForm(fields: Record<string, string | undefined>): CheckForm {
  const value = (fields.value ?? '').trim();
  const kind = fields.kind === 'phone' || fields.kind === 'registration' ? fields.kind : undefined;
  if (!value)
    return {
      ok: false,
      field: 'value',
      message: 'Enter a phone number or a vehicle registration',
      ambiguous: false,
      value,
    };
  if (value.length > 40)
    return {
      ok: false,
      field: 'value',
      message: 'Enter 40 characters or fewer',
      ambiguous: false,
      value: value.slice(0, 40),
    };
  const read = readIdentifier(value, kind);
  if (read.kind === 'unreadable')
    return { ok: false, field: 'value', message: UNREADABLE_MESSAGE, ambiguous: false, value };
  if (read.kind === 'ambiguous')
    return { ok: false, field: 'kind', message: AMBIGUOUS_MESSAGE, ambiguous: true, value };
  return { ok: true, identifier: read, value };
}

/** How the page says what was checked: "the phone number 07700 900123", "the partial registration KX???BC". */
export function describeIdentifier(identifier: CheckIdentifier): string {
  if (identifier.kind === 'phone') return `the phone number ${displayPhone(identifier.phone)}`;
  return identifier.registration.includes('?')
    ? `the partial registration ${identifier.registration}`
    : `the registration ${identifier.registration}`;
}
