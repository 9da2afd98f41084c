import { z } from 'zod';
import { CONSENT_SCOPES } from '../consent/consentLedger.ts';

/** What happened: keys used in the API and stored; labels in plain words for the pages. */
export const INCIDENT_TYPES = {
  'rape': 'Rape',
  'sexual-assault': 'Sexual assault',
  'condom-removed-or-refused': 'Condom removed or refused without consent',
  'physical-assault': 'Physical assault',
  'robbery-or-theft': 'Robbery or theft',
  'refused-to-pay-or-fraud': 'Refused to pay or fraud',
  'threats-or-harassment': 'Threats or harassment',
  'stalking': 'Stalking',
  'held-against-will': 'Held against their will',
  'hate-incident': 'Hate incident',
  'other': 'Something else',
} as const;
export type IncidentType = keyof typeof INCIDENT_TYPES;

export const CONTACT_KINDS = {
  'phone-call': 'Phone call',
  'text': 'Text message',
  'email': 'Email',
  'whatsapp': 'WhatsApp',
  'this-site-only': 'Only through this website',
  'outreach-worker': 'Through an outreach worker',
} as const;

export const REPORT_SOURCES = ['online', 'outreach', 'phone', 'drop-in'] as const;

const text = (max: number, what: string) => z.string().trim().max(max, `${what} must be ${max} characters or fewer`);
const optionalText = (max: number, what: string) => text(max, what).optional();
const list = (max: number, what: string) => z.array(text(200, what)).max(max, `Give no more than ${max}`).default([]);

export const perpetratorSchema = z.object({
  names: list(10, 'A name'),
  phones: list(10, 'A phone number'),
  emails: list(10, 'An email address'),
  handles: list(10, 'A username'),
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
  safeToLeaveMessage: z.boolean().default(false),
  safeTimes: optionalText(200, 'Safe times'),
  codeWord: optionalText(60, 'The code word'),
});

export const consentChoicesSchema = z
  .object(Object.fromEntries(CONSENT_SCOPES.map((scope) => [scope, z.boolean().default(false)])) as Record<(typeof CONSENT_SCOPES)[number], z.ZodDefault<z.ZodBoolean>>)
  .refine((c) => !c.policeContact || c.policeReport, { message: 'The police can only contact you if you want the report passed to them', path: ['policeContact'] });

/** A report as the API takes it (the pages build the same object step by step). */
export const reportInputSchema = z.object({
  org: z.string().trim().max(40).optional(),
  incidentTypes: z.array(z.enum(Object.keys(INCIDENT_TYPES) as [IncidentType], { message: 'Unknown incident type' })).max(11).default([]),
  account: z.string().trim().min(1, 'Tell us what happened').max(20_000, 'What happened must be 20,000 characters or fewer'),
  occurredOn: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, 'Give the date as YYYY-MM-DD, or YYYY-MM if you only know the month')
    .optional(),
  timeOfDay: optionalText(40, 'Time of day'),
  area: optionalText(120, 'The area'),
  placeDetails: optionalText(1000, 'Where it happened'),
  contactStarted: optionalText(60, 'How contact started'),
  workingContext: optionalText(60, 'Working context'),
  perpetrator: perpetratorSchema.default({ names: [], phones: [], emails: [], handles: [] }),
  peopleInvolved: z.number().int().min(1).max(50).optional(),
  injured: z.boolean().optional(),
  wantsMedicalHelp: z.boolean().optional(),
  consents: consentChoicesSchema.default({ support: false, warnOthers: false, policeIntelligence: false, policeReport: false, policeContact: false }),
  contact: z
    .object({
      name: optionalText(100, 'The name'),
      methods: z.array(contactMethodSchema).max(5).default([]),
      language: optionalText(60, 'The language'),
      interpreterNeeded: z.boolean().optional(),
    })
    .optional(),
});
export type ReportInput = z.infer<typeof reportInputSchema>;
