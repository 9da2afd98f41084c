import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Contact point kinds whose value is a phone number, normalised to E.164. */
export const PHONE_KINDS = ['mobile', 'landline', 'whatsapp'] as const;

/**
 * The E.164 form of a phone number (libphonenumber-js, default region GB), or
 * undefined when it cannot be one: `07700 900123`, `+44 7700 900123` and
 * `447700900123` are the same number.
 */
export function normalisePhone(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^[+\d(][\d\s().-]{5,30}$/.test(value)) return undefined;
  const parsed = parsePhoneNumberFromString(value, 'GB');
  if (parsed?.isPossible()) return parsed.number;
  const digits = value.replace(/\D/g, '').replace(/^00/, '');
  const international = parsePhoneNumberFromString(`+${digits}`);
  return international?.isPossible() ? international.number : undefined;
}

/** For reading: national format for UK numbers, international otherwise. */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational();
}
