import fc from 'fast-check';
import { readIdentifier, type CheckIdentifier } from '../../src/features/identifiers/index.ts';

/**
 * The ways people type phone numbers and registrations, as fast-check
 * arbitraries: the identifier checks must read every one of them as the
 * stored form.
 */

const separator = fc.constantFrom('', '', '', ' ', '-');

/** Joins characters with a random separator (none, a space or a dash) between each pair. */
const spaced = (chars: string[]) =>
  fc
    .array(separator, { minLength: chars.length, maxLength: chars.length })
    .map((seps) => chars.map((c, i) => (i ? seps[i]! + c : c)).join(''));

/** A number given in E.164 (`+447700900123`), typed nationally or internationally, with spaces, dashes, 00, 44 or +44 (0). */
export function typedPhone(e164: string): fc.Arbitrary<string> {
  const uk = e164.startsWith('+44');
  const cc = uk ? '44' : /^\+(33|1)/.exec(e164)![1]!;
  const rest = e164.slice(1 + cc.length);
  const prefixes = uk
    ? ['0', '+44', '+44 ', '0044', '0044 ', '44', '+44 (0)', '+44(0) ', '(0']
    : [`+${cc}`, `+${cc} `, `00${cc}`, `00${cc} `, cc];
  return fc
    .tuple(fc.constantFrom(...prefixes), spaced([...rest]), fc.constantFrom('', ' '))
    .map(([prefix, digits, pad]) => {
      // "(0" opens the bracket the national prefix is often written in: (07700) 900123.
      const body = prefix === '(0' ? `(0${digits.slice(0, 4)})${digits.slice(4)}` : `${prefix}${digits}`;
      return `${pad}${body}${pad}`;
    });
}

/** A registration as typed: any case, spaces or dashes anywhere, spaces around. */
export function typedRegistration(pattern: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: pattern.length, maxLength: pattern.length }), fc.constantFrom('', ' '))
    .chain(([lower, pad]) =>
      spaced([...pattern].map((c, i) => (lower[i] ? c.toLowerCase() : c))).map((typed) => `${pad}${typed}${pad}`),
    );
}

/** The plate with some characters replaced by `?` (at least one, keeping two known): a partial sighting of it. */
export function partialOf(plate: string): fc.Arbitrary<string> {
  return fc.array(fc.boolean(), { minLength: plate.length, maxLength: plate.length }).map((hide) => {
    const chars = [...plate];
    const known = chars.map((_, i) => i);
    let hidden = 0;
    for (const i of known) {
      if (hide[i] && chars.length - hidden > 2) {
        chars[i] = '?';
        hidden += 1;
      }
    }
    if (!hidden) chars[0] = '?';
    return chars.join('');
  });
}

/** A whole plate that fits a partial one: every `?` filled with a letter or digit (a plate has a digit somewhere). */
export function fullFitting(pattern: string): fc.Arbitrary<string> {
  const fill = fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789');
  return fc
    .array(fill, { minLength: pattern.length, maxLength: pattern.length })
    .map((fills) => [...pattern].map((c, i) => (c === '?' ? fills[i]! : c)).join(''))
    .filter((plate) => /[0-9]/.test(plate));
}

/**
 * Things that are neither a phone number nor a registration: words, text with
 * symbols, runs of digits too long for any number, plates too long, and
 * partial plates with fewer than two known characters.
 */
export const nonIdentifier: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z ]{0,30}$/),
  fc
    .tuple(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('@', '#', '!', '£', '*', '/', '_', ',', '😀', 'é'),
      fc.string({ maxLength: 12 }),
    )
    .map(([a, s, b]) => `${a}${s}${b}`),
  // Longer than any number can be, even with a trunk 0 after a bare country code (E.164 has at most 15 digits).
  fc.stringMatching(/^[0-9]{17,30}$/),
  fc.stringMatching(/^[A-Z][A-Z0-9]{7,14}[0-9]$/),
  fc.stringMatching(/^\?{2,7}[A-Z0-9]$/),
  fc.constantFrom('', ' ', '0', 'a', '?'),
);

/** What a check looks for, read from text the test knows to be readable (it throws otherwise). */
export function readable(raw: string): CheckIdentifier {
  const read = readIdentifier(raw);
  if (read.kind !== 'phone' && read.kind !== 'registration')
    throw new Error(`"${raw}" is not a readable phone number or registration`);
  return read;
}
