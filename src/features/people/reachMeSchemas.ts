import { z } from 'zod';

// What a caseworker puts on the reach-me list and what outreach records back.
// People owns the words so that the person page and the outreach list agree.

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : undefined));

export const reachMeInputSchema = z.object({
  recognise: optionalText(500, '"How to recognise them" must be 500 characters or fewer'),
  whereSeen: z
    .string()
    .trim()
    .min(1, 'Say where they are usually seen')
    .max(300, '"Where usually seen" must be 300 characters or fewer'),
  message: z
    .string()
    .trim()
    .min(1, 'Write the message to pass on')
    .max(500, 'The message must be 500 characters or fewer'),
});
export type ReachMeInput = z.infer<typeof reachMeInputSchema>;

export const SIGHTINGS = {
  seen: 'Seen, message passed',
  'not-seen': 'Not seen',
  'new-number': 'New number given',
} as const;
export type Sighting = keyof typeof SIGHTINGS;
export const SIGHTING_KEYS = Object.keys(SIGHTINGS) as [Sighting, ...Sighting[]];

export const sightingSchema = z.object({
  outcome: z.enum(SIGHTING_KEYS, { message: 'Choose what happened' }),
  number: z.string().trim().max(40, 'Enter a phone number, like 07700 900123').optional(),
});
