import type { ConsentScope } from '../consent/index.ts';

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

export { EVENT_SENTENCES } from '../vocabulary/index.ts';
