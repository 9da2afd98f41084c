import { z } from 'zod';
import './plainMessages.ts';

/**
 * Control characters other than tab and line breaks (carriage return is part of
 * the line break a browser sends). A NUL byte cannot be stored in PostgreSQL
 * text, and none of them belongs in anything a person types.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const hasControlCharacters = (value: string) => CONTROL_CHARACTERS.test(value);

/**
 * A typed text field, trimmed, with plain messages that name it: `what` is how
 * the field is called in a sentence ("The code word", "What happened").
 * Give `required` (the message when empty) for a field that must be filled in.
 */
export function textField(what: string, max: number, required?: string) {
  const base = z
    .string({
      error: (issue) => (issue.input === undefined && required ? required : `${what} must be written as text`),
    })
    .trim()
    .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .refine(
      (value) => !hasControlCharacters(value),
      `${what} contains a hidden character that cannot be saved. Remove it, or type the text again`,
    );
  return required ? base.refine((value) => value.length > 0, required) : base;
}
