import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers and vehicle registrations as warnings store and match them.
 * Phones are E.164 (libphonenumber-js, default region GB), so `07700 900123`,
 * `+44 7700 900123` and `447700900123` are one number. Registrations are
 * upper-cased with spaces (and hyphens) removed; in a warning, `?` stands for
 * exactly one unknown character (`KX?? ?BC` is `KX???BC`).
 */

/** The E.164 form, or undefined when it cannot be a phone number. */
export function normalisePhone(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^[+\d(][\d\s().-]{3,30}$/.test(value)) return undefined;
  const digits = value.replace(/\D/g, '');
  const parsed = parsePhoneNumberFromString(value, 'GB');
  if (parsed?.isPossible()) return parsed.number;
  // "447700900123" or "0044…": an international number typed without the plus.
  const international = parsePhoneNumberFromString(`+${digits.replace(/^00/, '')}`);
  return international?.isPossible() ? international.number : undefined;
}

/** A phone number for reading: national format for UK numbers, international otherwise. */
export function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '44' ? parsed.formatNational() : parsed.formatInternational();
}

/** Upper-case, spaces and hyphens removed; undefined when it is not 2–8 letters, digits or `?` with at least two known. */
export function normaliseRegistrationPattern(raw: string): string | undefined {
  const value = raw.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9?]{2,8}$/.test(value)) return undefined;
  if (value.replace(/\?/g, '').length < 2) return undefined;
  return value;
}

/** A full registration as someone checks it (no wildcards). */
export function normaliseRegistration(raw: string): string | undefined {
  const value = raw.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z0-9]{2,8}$/.test(value) ? value : undefined;
}

/** '0' for each known character and '1' for each `?`. */
export function maskOf(pattern: string): string {
  return [...pattern].map((c) => (c === '?' ? '1' : '0')).join('');
}

/** The registration with the mask's positions replaced by `?`: what a pattern with that mask would be. */
export function applyMask(registration: string, mask: string): string | undefined {
  if (registration.length !== mask.length) return undefined;
  return [...registration].map((c, i) => (mask[i] === '1' ? '?' : c)).join('');
}

/** Whether a full registration fits a pattern (used for display and in tests; lookups go through the digests). */
export function registrationMatches(pattern: string, registration: string): boolean {
  return applyMask(registration, maskOf(pattern)) === pattern;
}
