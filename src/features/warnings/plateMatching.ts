import { applyMask, registrationsFit } from '../identifiers/index.ts';

/**
 * How a checked plate is matched against warnings (pure). Warnings store each
 * plate as a blind index under its own mask, so a whole plate is looked up by
 * digesting it under every mask of its length in use; a partial plate cannot
 * be digested into what the warnings hold (their known characters may be its
 * unknown ones), so it is compared in the clear with the plates of that length.
 */

/** Whether a checked plate has unknown characters, and so must be compared rather than looked up. */
export function isPartialPlate(registration: string): boolean {
  return registration.includes('?');
}

/**
 * The forms of a whole plate to look up: the plate under each mask of the same
 * length that the organisation's warnings use, so `KX12ABC` finds a warning that
 * holds `KX???BC` (mask `0011100`) as well as one that holds `KX12ABC`.
 */
export function maskedForms(registration: string, masksInUse: readonly string[]): string[] {
  return masksInUse.filter((m) => m.length === registration.length).map((m) => applyMask(registration, m)!);
}

/** Whether any of a warning's plates (whole or partial) could be the checked partial plate. */
export function anyPlateFits(plates: readonly string[], checked: string): boolean {
  return plates.some((p) => registrationsFit(p, checked));
}

/** The newest warning first, so the one most likely still relevant is read first. */
export function newestFirst<T extends { publishedAt: string }>(matches: Iterable<T>): T[] {
  return [...matches].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}
