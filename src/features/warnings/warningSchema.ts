import { z } from 'zod';
import { INCIDENT_TYPES, type IncidentType } from '../vocabulary/index.ts';
import { normalisePhone, normaliseRegistrationPattern } from '../identifiers/index.ts';

export const REFERENCE = /^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/;
export const MAX_REPORTS = 10;

const text = (max: number, what: string) => z.string().trim().max(max, `${what} must be ${max} characters or fewer`);

/** A warning as drafted, from the editor or the API (the same rules for both). */
export const warningDraftSchema = z.object({
  reports: z
    .array(z.string().trim().toUpperCase().regex(REFERENCE, 'A report reference looks like R-7XK2-Q9M4'))
    .min(1, 'Give the reference of at least one report')
    .max(MAX_REPORTS, `Give no more than ${MAX_REPORTS} reports`),
  title: text(120, 'The title').min(1, 'Enter a title'),
  body: text(4000, 'The warning').min(1, 'Write the warning'),
  type: z.enum(Object.keys(INCIDENT_TYPES) as [IncidentType], { message: 'Choose the type of incident' }),
  area: text(120, 'The area')
    .nullable()
    .default(null)
    .transform((a) => a || null),
  phones: z
    .array(text(40, 'A phone number'))
    .max(10, 'Give no more than 10 phone numbers')
    .default([])
    .transform((list) => list.filter(Boolean))
    .superRefine((list, ctx) => {
      for (const phone of list)
        if (!normalisePhone(phone))
          ctx.addIssue({
            code: 'custom',
            message: `"${phone.slice(0, 40)}" is not a phone number: enter it like 07700 900123 or +44 7700 900123`,
          });
    }),
  registrations: z
    .array(text(20, 'A registration'))
    .max(10, 'Give no more than 10 registrations')
    .default([])
    .transform((list) => list.filter(Boolean))
    .superRefine((list, ctx) => {
      for (const reg of list) {
        if (!normaliseRegistrationPattern(reg))
          ctx.addIssue({
            code: 'custom',
            message: `"${reg.slice(0, 20)}" is not a registration: use 2 to 8 letters and digits (at least one digit), and ? for each unknown character, like KX?? ?BC`,
          });
      }
    }),
  handles: z
    .array(text(200, 'A username'))
    .max(10, 'Give no more than 10 usernames')
    .default([])
    .transform((list) => list.filter(Boolean)),
  vehicle: text(200, 'The vehicle').default(''),
  description: text(2000, 'The description').default(''),
});
export type WarningDraftInput = z.infer<typeof warningDraftSchema>;

export const withdrawSchema = z.object({
  reason: text(1000, 'The reason').min(1, 'Say why the warning is being withdrawn'),
});

/** List filters: unknown values are ignored rather than refused. */
export const listFilterSchema = z.object({
  area: z.string().trim().max(120).catch(''),
  type: z
    .enum(Object.keys(INCIDENT_TYPES) as [IncidentType])
    .or(z.literal(''))
    .catch(''),
});

/** A list typed in a textarea: one per line (phones and registrations may also be separated by commas). */
export function splitLines(value: string | undefined, commas = false): string[] {
  return (value ?? '')
    .split(commas ? /[\r\n,;]+/ : /\r?\n/)
    .map((v) => v.trim())
    .filter(Boolean);
}
