import type { TimelineEventType } from './victimsCodeRules.ts';
import type { DutyState } from './dutyLists.ts';

/** What each event type and stage is called on the pages. */
export const EVENT_LABELS: Record<TimelineEventType | 'referred', string> = {
  referred: 'Referred (nothing recorded yet)',
  'crime-recorded': 'Crime recorded',
  investigation: 'Investigation',
  'suspect-identified': 'Suspect identified',
  'suspect-arrested': 'Suspect arrested',
  'suspect-interviewed': 'Suspect interviewed under caution',
  'released-without-charge': 'Released without charge',
  bailed: 'Bailed',
  'released-under-investigation': 'Released under investigation',
  'bail-changed': 'Bail conditions changed',
  charged: 'Charging decision: charged',
  'no-further-action': 'Charging decision: no further action',
  'out-of-court-disposal': 'Charging decision: out-of-court disposal',
  'not-investigated': 'Decision not to investigate',
  'first-hearing': 'First hearing',
  ptph: 'Plea and trial preparation hearing',
  'trial-date-set': 'Trial date set',
  trial: 'Trial',
  verdict: 'Verdict',
  sentence: 'Sentence',
  closed: 'Case closed',
};

export const HOW_LABELS = {
  mailbox: 'Mailbox message',
  call: 'Call',
  'in-person': 'In person',
  'via-outreach': 'Via outreach',
} as const;

export const DUTY_STATE_LABELS: Record<DutyState, string> = {
  open: 'Open',
  due: 'Due today',
  overdue: 'Overdue',
  met: 'Met',
  'not-met': 'Not met',
};
