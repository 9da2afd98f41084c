/**
 * Vehicle registrations: upper case with spaces and hyphens removed; `?`
 * stands for exactly one unknown character (`KX?? ?BC` is `KX???BC`). A
 * registration has 2–8 characters, at least two of them known, and at least
 * one digit or `?`: every UK plate has a digit, and without that rule any
 * word ("call me") would read as a plate and could be checked "not found".
 */

const clean = (raw: string) => raw.trim().toUpperCase().replace(/[\s-]/g, '');
const shaped = (value: string) =>
  /^[A-Z0-9?]{2,8}$/.test(value) && /[0-9?]/.test(value) && value.replace(/\?/g, '').length >= 2;

/** A registration as a warning or a check holds it, possibly partial; undefined when it cannot be one. */
export function normaliseRegistrationPattern(raw: string): string | undefined {
  const value = clean(raw);
  return shaped(value) ? value : undefined;
}

/** A whole registration (no unknown characters). */
export function normaliseRegistration(raw: string): string | undefined {
  const value = normaliseRegistrationPattern(raw);
  return value && !value.includes('?') ? value : undefined;
}

/** '0' for each known character and '1' for each `?`. */
export function maskOf(pattern: string): string {
  return [...pattern].map((c) => (c === '?' ? '1' : '0')).join('');
}

/** The pattern with the mask's positions also replaced by `?` (masks combine: a `?` stays a `?`). */
export function applyMask(pattern: string, mask: string): string | undefined {
  if (pattern.length !== mask.length) return undefined;
  return [...pattern].map((c, i) => (mask[i] === '1' ? '?' : c)).join('');
}

/**
 * Whether two registrations, either or both partial, could be the same plate:
 * the same length and equal wherever both are known.
 */
export function registrationsFit(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return [...a].every((c, i) => c === '?' || b[i] === '?' || c === b[i]);
}
