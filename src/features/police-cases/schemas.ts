import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import { TIMELINE_EVENT_TYPES } from './victimsCodeRules.ts';

const realDate = isoDate('Enter a real date as YYYY-MM-DD, like 2026-11-27');

export const timelineEventInput = z
  .object({
    type: z.enum(TIMELINE_EVENT_TYPES, { message: 'Choose what happened' }),
    occurredAt: z.string().datetime({ offset: true, message: 'Enter when it happened as a date and time' }),
    bailEndsOn: realDate.optional(),
    outcomeType: z
      .number()
      .int()
      .min(1, 'The Home Office outcome type is 1 to 22')
      .max(22, 'The Home Office outcome type is 1 to 22')
      .optional(),
    /** Free text for the officer and liaison; encrypted. */
    summary: z.string().trim().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'closed' && v.outcomeType === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['outcomeType'],
        message: 'Give the Home Office outcome type (1 to 22) to close the case',
      });
    if (v.type !== 'closed' && v.outcomeType !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['outcomeType'],
        message: 'An outcome type is only given when closing the case',
      });
    if (v.type === 'bailed' && v.bailEndsOn === undefined)
      ctx.addIssue({ code: 'custom', path: ['bailEndsOn'], message: 'Give the date bail ends' });
    if (v.bailEndsOn !== undefined && v.type !== 'bailed' && v.type !== 'bail-changed')
      ctx.addIssue({ code: 'custom', path: ['bailEndsOn'], message: 'A bail end date is only given for bail' });
  });
export type TimelineEventInput = z.input<typeof timelineEventInput>;

export const DUTY_HOW = ['mailbox', 'call', 'in-person', 'via-outreach'] as const;
export const dutyMetInput = z.object({
  how: z.enum(DUTY_HOW, { message: 'Choose how the person was told' }),
  note: z.string().trim().max(2000).optional(),
});
export const tellThroughCheckInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'Write what the person will read on Check your report')
    .max(1000, 'The update must be 1,000 characters or fewer'),
});
export const dutyNotMetInput = z.object({
  reason: z.string().trim().min(1, 'Say why the person was not told, and what contact was tried').max(2000),
});
