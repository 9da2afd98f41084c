import type { ConsentScope } from '../consent/consentLedger.ts';

/** The person's choices, in the words of the report form. */
export const CHOICE_LABELS: Record<ConsentScope, string> = {
  support: 'Support from the charity',
  warnOthers: 'Warn others about this person',
  policeIntelligence: 'Tell the police without my name',
  policeReport: 'Help to report it to the police',
  policeContact: 'The police may contact me directly',
};

/** Choices that give the police something: agreeing to one asks "Are you sure?" first. */
export const POLICE_SCOPES: readonly ConsentScope[] = ['policeIntelligence', 'policeReport', 'policeContact'];

/** What agreeing to a police choice lets the charity do, shown on the confirmation page. */
export const GIVING_MEANS: Partial<Record<ConsentScope, string>> = {
  policeIntelligence:
    'The charity may tell the police what happened, without your name or contact details, so they know about this person.',
  policeReport:
    'The charity may pass your report to the police, with your name and the contact details you gave, so they can investigate.',
  policeContact: 'The police may contact you directly, using the contact details you gave, about your report.',
};

/** The level of a referral and the choice that allows it. */
export const LEVEL_SCOPE = { intelligence: 'policeIntelligence', full: 'policeReport' } as const;

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' });
const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "3 December 2026" (UK time). */
export function day(iso: string): string {
  return DAY.format(new Date(iso));
}

/** "Tuesday 8 December 2026 at 2:00pm" (UK time). */
export function dayAndTime(iso: string): string {
  return `${WEEKDAY.format(new Date(iso))} ${day(iso)} at ${TIME.format(new Date(iso)).replace(/\s/g, '')}`;
}

/** What the police were given, by referral level. */
export function sharedWhat(level: 'intelligence' | 'full'): string {
  return level === 'intelligence'
    ? 'what happened (without your name or contact details)'
    : 'your full report (with your name and contact details, if you gave them)';
}

/** A referral's answer from the force, in plain words. */
export function answerWords(status: 'new' | 'accepted' | 'declined', force: string): string {
  if (status === 'accepted') return `${force} accepted it.`;
  if (status === 'declined') return `${force} decided not to take it further.`;
  return `${force} has not answered yet.`;
}

/** What the person's appointment is, in plain words. */
export const APPOINTMENT_WORDS: Record<string, string> = {
  statement: 'giving a statement to the police',
  'abe-interview': 'a video-recorded interview with the police',
  'medical-or-sarc': 'a medical examination',
  identification: 'an identification procedure (picking out the person)',
  'court-familiarisation': 'a visit to see the court before the hearing',
  hearing: 'a court hearing',
  trial: 'the trial',
};

export const VENUE_WORDS: Record<string, string> = {
  'charity-premises': "the charity's premises",
  sarc: 'a sexual assault referral centre (SARC)',
  home: 'your home',
  'other-agency': 'another agency',
  'police-station': 'a police station',
  court: 'the court',
  other: 'a place agreed with you',
};

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
