/**
 * A plain sentence for each police case event, prefilled when the liaison tells
 * the person through "Check your report" (the liaison checks and may edit it).
 */
export const EVENT_SENTENCES: Record<string, string> = {
  'crime-recorded': 'The police have recorded what happened to you as a crime.',
  investigation: 'The police are investigating what happened.',
  'suspect-identified': 'The police think they know who did it.',
  'suspect-arrested': 'Someone has been arrested.',
  'suspect-interviewed': 'The police have interviewed someone about what happened.',
  'released-without-charge': 'The person who was arrested has been released without charge.',
  bailed: 'The person who was arrested has been released on bail, with conditions.',
  'released-under-investigation': 'The person who was arrested has been released while the police keep investigating.',
  'bail-changed': 'The bail conditions of the person who was arrested have changed.',
  charged: 'Someone has been charged.',
  'no-further-action': 'The police have decided to take no further action.',
  'out-of-court-disposal': 'The case has been dealt with without going to court.',
  'not-investigated': 'The police have decided not to investigate.',
  'first-hearing': 'The first court hearing has taken place.',
  ptph: 'A court hearing to prepare for the trial has taken place.',
  'trial-date-set': 'A date has been set for the trial.',
  trial: 'The trial has started.',
  verdict: 'The court has reached a verdict.',
  sentence: 'The court has passed a sentence.',
  closed: 'The police have closed the case.',
};
