import { z } from 'zod';
import { isRealDate, isRealMonth } from '../../platform/validation/isoDate.ts';
import { textField } from '../../platform/validation/text.ts';
import { CONSENT_SCOPES } from '../consent/index.ts';

import { CONTACT_KINDS, INCIDENT_TYPES, type IncidentType } from '../vocabulary/index.ts';

export {
  CONTACT_KINDS,
  CONTACT_STARTED,
  INCIDENT_TYPES,
  REPORT_SOURCES,
  TIMES_OF_DAY,
  WORKING_CONTEXTS,
  type IncidentType,
} from '../vocabulary/index.ts';

const optionalText = (max: number, what: string) => textField(what, max).optional();
const list = (max: number, what: string, plural: string) =>
  z
    .array(textField(what, 200), { message: `Give ${plural} as a list` })
    .max(max, `Give no more than ${max} ${plural}`)
    .default([]);

export const perpetratorSchema = z.object({
  names: list(10, 'A name', 'names'),
  phones: list(10, 'A phone number', 'phone numbers'),
  emails: list(10, 'An email address', 'email addresses'),
  handles: list(10, 'A username', 'usernames'),
  vehicle: z
    .object({
      make: optionalText(60, 'Make'),
      model: optionalText(60, 'Model'),
      colour: optionalText(40, 'Colour'),
      // Kept exactly as given: a partial registration such as "KX?? ?BC" matters.
      registration: optionalText(20, 'Registration'),
    })
    .optional(),
  /** What they looked like, as the person describes it (ethnicity in their own words). */
  appearance: z
    .object({
      sex: optionalText(60, 'Sex'),
      ageRange: optionalText(60, 'Age'),
      height: optionalText(60, 'Height'),
      build: optionalText(60, 'Build'),
      ethnicity: optionalText(100, 'Ethnicity'),
      hair: optionalText(100, 'Hair'),
      accent: optionalText(100, 'Accent'),
      marks: optionalText(200, 'Distinguishing marks'),
      clothing: optionalText(200, 'Clothing'),
    })
    .optional(),
  description: optionalText(4000, 'The description'),
});

export const contactMethodSchema = z.object({
  kind: z.enum(Object.keys(CONTACT_KINDS) as [keyof typeof CONTACT_KINDS], { message: 'Choose how we can reach you' }),
  value: optionalText(200, 'The number or address'),
  safeToLeaveMessage: z.boolean({ message: 'Say whether it is safe to leave a message' }).default(false),
  safeTimes: optionalText(200, 'Safe times'),
  codeWord: optionalText(60, 'The code word'),
});

export const consentChoicesSchema = z
  .object(
    Object.fromEntries(
      CONSENT_SCOPES.map((scope) => [scope, z.boolean({ message: 'Answer yes or no to each choice' }).default(false)]),
    ) as Record<(typeof CONSENT_SCOPES)[number], z.ZodDefault<z.ZodBoolean>>,
  )
  .refine((c) => !c.policeContact || c.policeReport, {
    message: 'The police can only contact you if you want the report passed to them',
    path: ['policeContact'],
  });

/** The earliest incident we take: older dates are typing mistakes. */
export const EARLIEST_INCIDENT = '1950-01-01';
const DATE_FORMAT =
  'Give the date as a real date, like 2026-11-27, or the month, like 2026-11, if you do not know the day';

/** Why an incident date cannot be right, given today's UK date; undefined when it can. */
export function occurredOnProblem(occurredOn: string | undefined, today: string): string | undefined {
  if (occurredOn === undefined) return undefined;
  // A month is compared as its first day with the earliest date, and as itself with this month.
  if (occurredOn < EARLIEST_INCIDENT.slice(0, occurredOn.length)) return 'The date must be in 1950 or later';
  if (occurredOn > today.slice(0, occurredOn.length)) return 'The date must be today or in the past';
  return undefined;
}

/** A report as the API takes it (the pages build the same object step by step). */
export const reportInputSchema = z.object({
  org: textField('The organisation', 40).optional(),
  incidentTypes: z
    .array(z.enum(Object.keys(INCIDENT_TYPES) as [IncidentType], { message: 'Choose what they did from the list' }), {
      message: 'Choose what they did from the list',
    })
    .max(11, 'Choose what they did from the list')
    .default([]),
  account: textField('What happened', 20_000, 'Tell us what happened'),
  occurredOn: z
    .string({ message: DATE_FORMAT })
    .refine((value) => isRealDate(value) || isRealMonth(value), DATE_FORMAT)
    .refine((value) => value >= EARLIEST_INCIDENT.slice(0, value.length), 'The date must be in 1950 or later')
    .optional(),
  timeOfDay: optionalText(40, 'Time of day'),
  area: optionalText(120, 'The area'),
  placeDetails: optionalText(1000, 'Where it happened'),
  contactStarted: optionalText(60, 'How contact started'),
  workingContext: optionalText(60, 'Working context'),
  perpetrator: perpetratorSchema.default({ names: [], phones: [], emails: [], handles: [] }),
  peopleInvolved: z
    .number({ message: 'Enter how many people were involved as a number, like 2' })
    .int('Enter how many people were involved as a whole number, like 2')
    .min(1, 'Enter 1 or more people, or leave it empty')
    .max(50, 'Enter 50 or fewer people. If there were more, say so in what happened')
    .optional(),
  injured: z.boolean({ message: 'Say whether you were hurt' }).optional(),
  wantsMedicalHelp: z.boolean({ message: 'Say whether you would like help to see a doctor or nurse' }).optional(),
  consents: consentChoicesSchema.default({
    support: false,
    warnOthers: false,
    policeIntelligence: false,
    policeReport: false,
    policeContact: false,
  }),
  contact: z
    .object({
      name: optionalText(100, 'The name'),
      methods: z
        .array(contactMethodSchema, { message: 'Give ways to reach you as a list' })
        .max(5, 'Give no more than 5 ways to reach you')
        .default([]),
      language: optionalText(60, 'The language'),
      interpreterNeeded: z.boolean({ message: 'Say whether you need an interpreter' }).optional(),
    })
    .optional(),
});
export type ReportInput = z.infer<typeof reportInputSchema>;
