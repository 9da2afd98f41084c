import { z } from 'zod';
import { textField } from '../../platform/validation/text.ts';

export const SATISFACTION = ['very-satisfied', 'satisfied', 'neither', 'dissatisfied', 'very-dissatisfied'] as const;
export const MAX_FEEDBACK_LENGTH = 2000;

/** A path on this site only (never a full address, never a query string), so nothing typed elsewhere is stored. */
export const fromPage = z
  .string()
  .max(200)
  .regex(/^\/[\w\-./]*$/);

export const feedbackSchema = z.object({
  satisfaction: z
    .enum(['', ...SATISFACTION], { message: 'Choose how you feel about the service, or leave it blank' })
    .optional()
    .transform((value) => value || undefined),
  text: textField('What you tell us', MAX_FEEDBACK_LENGTH, 'Tell us what would make this service better'),
  // A hidden field, so a bad value is dropped rather than shown to the person as an error.
  page: fromPage.optional().catch(undefined),
});
export type FeedbackInput = z.infer<typeof feedbackSchema>;
