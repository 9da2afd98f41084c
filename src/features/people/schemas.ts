import { z } from 'zod';

export const CONTACT_KINDS = {
  mobile: 'Mobile',
  landline: 'Landline',
  email: 'Email',
  whatsapp: 'WhatsApp',
  postal: 'Postal address',
  hostel: 'Hostel or service',
  outreach: 'Through outreach',
  agency: 'Through another agency',
} as const;
export type ContactKind = keyof typeof CONTACT_KINDS;
export const CONTACT_KIND_KEYS = Object.keys(CONTACT_KINDS) as [ContactKind, ...ContactKind[]];

/** What to type as the value, by kind (shown as the hint on the form). */
export const VALUE_HINTS: Record<ContactKind, string> = {
  mobile: 'A phone number, like 07700 900123',
  landline: 'A phone number, like 0161 496 0000',
  email: 'An email address',
  whatsapp: 'The phone number WhatsApp uses',
  postal: 'The full address',
  hostel: 'The hostel or service, and who to ask for',
  outreach: 'PLACE on DAYS, like "the van on Hope Street on Tuesday and Friday nights"',
  agency: 'The agency and who to ask for',
};

export const RETIRE_REASONS = {
  'number-changed': 'Number changed',
  'not-in-service': 'Not in service',
  'unsafe-now': 'Unsafe now',
} as const;
export type RetireReason = keyof typeof RETIRE_REASONS;
export const RETIRE_REASON_KEYS = Object.keys(RETIRE_REASONS) as [RetireReason, ...RetireReason[]];

export const CHANNELS = {
  call: 'Phone call',
  text: 'Text message',
  whatsapp: 'WhatsApp',
  email: 'Email',
  letter: 'Letter',
  'in-person': 'In person',
  outreach: 'Through outreach',
  agency: 'Through another agency',
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_KEYS = Object.keys(CHANNELS) as [Channel, ...Channel[]];

/** Outcomes staff record; the last three are recorded from the outreach reach-me list. */
export const OUTCOMES = {
  reached: 'Reached',
  'no-answer': 'No answer',
  'voicemail-left': 'Voicemail left',
  'not-in-service': 'Number not in service',
  'wrong-person': 'Wrong person answered',
  'unsafe-to-talk': 'Unsafe to talk',
  'message-passed': 'Message passed via outreach',
  'not-seen': 'Not seen by outreach',
  'new-number-given': 'Seen by outreach, new number given',
} as const;
export type Outcome = keyof typeof OUTCOMES;
export const STAFF_OUTCOMES = [
  'reached',
  'no-answer',
  'voicemail-left',
  'not-in-service',
  'wrong-person',
  'unsafe-to-talk',
  'message-passed',
] as const;
export { SUCCESSFUL_OUTCOMES } from '../vocabulary/index.ts';

export const INTERPRETER = { yes: 'Needs an interpreter', no: 'No interpreter needed', unknown: 'Not known' } as const;
export type Interpreter = keyof typeof INTERPRETER;

const idText = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Choose one from the list');
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : undefined));

export const personInputSchema = z.object({
  workingName: z
    .string()
    .trim()
    .min(1, 'Enter the name they use with us')
    .max(100, 'The working name must be 100 characters or fewer'),
  otherNames: z
    .array(z.string().trim().min(1).max(100, 'Each other name must be 100 characters or fewer'))
    .max(20, 'Up to 20 other names')
    .default([]),
  languages: z
    .array(z.string().trim().min(1).max(60, 'Each language must be 60 characters or fewer'))
    .max(10, 'Up to 10 languages')
    .default([]),
  interpreter: z.enum(['yes', 'no', 'unknown'], { message: 'Say whether they need an interpreter' }).default('unknown'),
  notes: z.string().trim().max(10_000, 'Notes must be 10,000 characters or fewer').default(''),
});
export type PersonInput = z.infer<typeof personInputSchema>;

export const contactPointInputSchema = z.object({
  kind: z.enum(CONTACT_KIND_KEYS, { message: 'Choose the kind of contact' }),
  value: z
    .string()
    .trim()
    .min(1, 'Enter the number, address or details')
    .max(500, 'The details must be 500 characters or fewer'),
  safeToLeaveMessage: z.boolean({ message: 'Say whether it is safe to leave a message' }),
  safeTimes: optionalText(200, 'Safe times must be 200 characters or fewer'),
  codeWord: optionalText(100, 'The code word must be 100 characters or fewer'),
});
export type ContactPointInput = z.infer<typeof contactPointInputSchema>;

export const retireSchema = z.object({
  reason: z.enum(RETIRE_REASON_KEYS, { message: 'Choose why it no longer works' }),
});

export const attemptInputSchema = z.object({
  contactPointId: idText.optional(),
  channel: z.enum(CHANNEL_KEYS, { message: 'Choose how you tried to reach them' }),
  outcome: z.enum(STAFF_OUTCOMES, { message: 'Choose what happened' }),
  note: optionalText(2000, 'The note must be 2,000 characters or fewer'),
});
export type AttemptInput = z.infer<typeof attemptInputSchema>;

/** "a, b; c" or one per line → a list. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Contact point kinds whose value is a phone number, normalised to E.164 (features/identifiers). */
export const PHONE_KINDS = ['mobile', 'landline', 'whatsapp'] as const;
