import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';

/** Ofcom's drama range (07700 900000–900999): not `isValid()` in the metadata, yet used as mobiles in tests, demos and outside checks. */
const DRAMA_MOBILES = /^7700900\d{3}$/;

/** E.164 allows at most 15 digits; the metadata of some countries (Germany's) accepts longer ones. */
const E164_MAX_DIGITS = 15;

const usable = (parsed: PhoneNumber | undefined): parsed is PhoneNumber =>
  !!parsed &&
  parsed.number.length - 1 <= E164_MAX_DIGITS &&
  (parsed.isValid() || (parsed.countryCallingCode === '44' && DRAMA_MOBILES.test(parsed.nationalNumber)));

/**
 * The E.164 form of a phone number (libphonenumber-js with full metadata,
 * default region GB), or undefined when it cannot be one. `07700 900123`,
 * `+44 7700 900123`, `0044 7700 900123` and `447700900123` are one number.
 * A number must be valid for its country (a digit short or too many is not a
 * number), so a typing slip is refused rather than checked and not found.
 */
export function normalisePhone(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^[+\d(][\d\s().-]{3,30}$/.test(value)) return undefined;
  const parsed = parsePhoneNumberFromString(value, 'GB');
  if (usable(parsed)) return parsed.number;
  // An international number typed without its plus ("33612345678") or with 00.
  const digits = value.replace(/\D/g, '').replace(/^00/, '');
  const international = parsePhoneNumberFromString(`+${digits}`);
  return usable(international) ? international.number : undefined;
}

/** For reading: national format for UK numbers, international otherwise. */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational();
}
