import { normalisePhone } from './phone.ts';
import { normaliseRegistrationPattern } from './registration.ts';

/** What one box typed into a check turned out to be. */
export type ReadIdentifier =
  | { kind: 'phone'; phone: string }
  | { kind: 'registration'; registration: string }
  /** Both readings work (a short run of digits): ask which was meant, never guess. */
  | { kind: 'ambiguous'; phone: string; registration: string }
  | { kind: 'unreadable' };

/** What a check looks for: a phone number (E.164) or a registration (normalised, `?` for each unknown character). */
export type CheckIdentifier = Extract<ReadIdentifier, { kind: 'phone' | 'registration' }>;

export const UNREADABLE_MESSAGE =
  'We could not read that as a phone number or a registration. Check it and try again, for example 07700 900123 or KX12 ABC (use ? for a character you do not know).';
export const AMBIGUOUS_MESSAGE = 'Choose whether this is a phone number or a vehicle registration';

/**
 * Recognises a phone number or a registration (possibly partial) by itself.
 * `as` settles an ambiguous reading when the person has said which they meant.
 */
export function readIdentifier(raw: string, as?: 'phone' | 'registration'): ReadIdentifier {
  const phone = normalisePhone(raw);
  const registration = normaliseRegistrationPattern(raw);
  if (phone && registration) {
    if (as === 'phone') return { kind: 'phone', phone };
    if (as === 'registration') return { kind: 'registration', registration };
    return { kind: 'ambiguous', phone, registration };
  }
  if (phone) return { kind: 'phone', phone };
  if (registration) return { kind: 'registration', registration };
  return { kind: 'unreadable' };
}
