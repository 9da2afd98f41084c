/**
 * The case timeline's event types (exactly the API's list) and the seed of the
 * `victims_code_rules` table. The table, not this file, is what the clock reads,
 * so a new Code can be configured without a release.
 *
 * From the issue (Victims' Code, right 6 and right 8): arrest, interview under
 * caution, release, bail and bail changes, charging decisions and a decision
 * not to investigate → 1 working day with enhanced rights, else 5; hearing dates
 * → 1; outcome and sentence → 1. Decisions where the issue is silent:
 * - crime-recorded, investigation, suspect-identified: no duty (the Code's duty
 *   starts at arrest; recording the crime is told at the referral itself).
 * - released-without-charge, released-under-investigation: "release" → 1/5.
 * - charged, no-further-action, out-of-court-disposal: "charging decisions" → 1/5.
 * - first-hearing, ptph, trial-date-set, trial: "hearing dates" → 1 either way.
 * - verdict, sentence, closed: "outcome and sentence" → 1 either way (closing
 *   with a Home Office outcome type is an outcome the person must be told).
 */
export const TIMELINE_EVENT_TYPES = [
  'crime-recorded',
  'investigation',
  'suspect-identified',
  'suspect-arrested',
  'suspect-interviewed',
  'released-without-charge',
  'bailed',
  'released-under-investigation',
  'bail-changed',
  'charged',
  'no-further-action',
  'out-of-court-disposal',
  'not-investigated',
  'first-hearing',
  'ptph',
  'trial-date-set',
  'trial',
  'verdict',
  'sentence',
  'closed',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export interface VictimsCodeRule {
  eventType: TimelineEventType;
  mustInform: boolean;
  daysEnhanced: number | null;
  daysStandard: number | null;
}

const none = (eventType: TimelineEventType): VictimsCodeRule => ({
  eventType,
  mustInform: false,
  daysEnhanced: null,
  daysStandard: null,
});
const inform = (eventType: TimelineEventType, daysEnhanced: number, daysStandard: number): VictimsCodeRule => ({
  eventType,
  mustInform: true,
  daysEnhanced,
  daysStandard,
});

export const VICTIMS_CODE_RULES_SEED: readonly VictimsCodeRule[] = [
  none('crime-recorded'),
  none('investigation'),
  none('suspect-identified'),
  inform('suspect-arrested', 1, 5),
  inform('suspect-interviewed', 1, 5),
  inform('released-without-charge', 1, 5),
  inform('bailed', 1, 5),
  inform('released-under-investigation', 1, 5),
  inform('bail-changed', 1, 5),
  inform('charged', 1, 5),
  inform('no-further-action', 1, 5),
  inform('out-of-court-disposal', 1, 5),
  inform('not-investigated', 1, 5),
  inform('first-hearing', 1, 1),
  inform('ptph', 1, 1),
  inform('trial-date-set', 1, 1),
  inform('trial', 1, 1),
  inform('verdict', 1, 1),
  inform('sentence', 1, 1),
  inform('closed', 1, 1),
];

/**
 * Stages in the order a case moves through them; the current stage is the
 * stage of the latest event by occurred_at (ties: the later stage in this
 * order). Every event type defines a stage; a case with no events is at
 * 'referred'. An event dated earlier than the latest one (recorded late) does
 * not move the stage back.
 */
export const STAGE_ORDER: readonly TimelineEventType[] = TIMELINE_EVENT_TYPES;
