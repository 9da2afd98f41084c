import type { ConsentScope } from '../consent/index.ts';
import { CONSENT_SCOPES } from '../consent/index.ts';
import { dateInWords } from '../../platform/validation/isoDate.ts';
import { occurredOn, type StepSlug } from './journey.ts';
import type { DraftAnswers } from './reportDrafts.ts';
import { CONTACT_KINDS, CONTACT_STARTED, INCIDENT_TYPES, TIMES_OF_DAY, WORKING_CONTEXTS } from './reportSchema.ts';

/** The choices as the person chose them, in their words. */
export const CHOICE_WORDS: Record<ConsentScope, string> = {
  support: 'Support from the charity',
  warnOthers: 'Warn others about this person',
  policeIntelligence: 'Tell the police about this person without my name',
  policeReport: 'Help to report it to the police as a crime',
  policeContact: 'The police may contact me directly',
};

const APPEARANCE_WORDS = [
  ['appearanceSex', 'Sex'],
  ['appearanceAgeRange', 'Age'],
  ['appearanceHeight', 'Height'],
  ['appearanceBuild', 'Build'],
  ['appearanceEthnicity', 'Ethnicity'],
  ['appearanceHair', 'Hair'],
  ['appearanceAccent', 'Accent'],
  ['appearanceMarks', 'Tattoos, scars or other marks'],
  ['appearanceClothing', 'Clothes'],
] as const;

export interface AnswerRow {
  key: string;
  /** In words; line breaks separate several values. */
  value: string;
  /** The question page in change mode, at the field. */
  href: string;
  /** For the Change link's hidden text. */
  what: string;
}

const NOT_GIVEN = 'Not given';

/** Every answer in the draft, in words, with where to change it: "Check your answers". */
export function answerRows(answers: DraftAnswers): AnswerRow[] {
  const one = (field: string) => {
    const value = answers[field];
    return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
  };
  const many = (field: string) => (Array.isArray(answers[field]) ? (answers[field] as string[]) : []);
  const lines = (field: string) =>
    one(field)
      .split(/\r?\n|,/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
  const word = (labels: Record<string, string>, field: string) => labels[one(field)] ?? one(field);
  const yesNo = (field: string) => ({ yes: 'Yes', no: 'No' })[one(field)] ?? 'Not answered';
  const rows: AnswerRow[] = [];
  const row = (step: StepSlug, field: string, key: string, value: string) =>
    rows.push({ key, value: value || NOT_GIVEN, href: `/report/${step}?change=1#${field}`, what: key.toLowerCase() });

  row('safe', 'safeNow', 'Are you safe now?', yesNo('safeNow'));
  row(
    'what-happened',
    'incidentTypes',
    'What they did',
    many('incidentTypes')
      .map((key) => INCIDENT_TYPES[key as keyof typeof INCIDENT_TYPES] ?? key)
      .join('\n'),
  );
  row('what-happened', 'account', 'What happened', one('account'));
  const when = occurredOn(answers).value;
  row('what-happened', 'whenDay', 'When it happened', when ? dateInWords(when) : '');
  row('what-happened', 'timeOfDay', 'Time of day', word(TIMES_OF_DAY, 'timeOfDay'));
  row('what-happened', 'area', 'Where it happened', one('area'));
  row('what-happened', 'placeDetails', 'More about the place', one('placeDetails'));
  row('what-happened', 'contactStarted', 'How contact started', word(CONTACT_STARTED, 'contactStarted'));
  row('what-happened', 'workingContext', 'Where you were working', word(WORKING_CONTEXTS, 'workingContext'));

  row('about-them', 'names', 'Names or nicknames they used', lines('names'));
  row('about-them', 'phones', 'Their phone numbers', lines('phones'));
  row('about-them', 'perpEmail', 'Their email address', lines('perpEmail'));
  row('about-them', 'handles', 'Usernames or advert sites they used', lines('handles'));
  row(
    'about-them',
    'vehicleMake',
    'Their vehicle',
    [one('vehicleColour'), one('vehicleMake'), one('vehicleModel')].filter(Boolean).join(' '),
  );
  row('about-them', 'vehicleRegistration', 'Vehicle registration', one('vehicleRegistration'));
  const looks = APPEARANCE_WORDS.filter(([field]) => one(field)).map(([field, label]) => `${label}: ${one(field)}`);
  row(
    'about-them',
    looks.length ? APPEARANCE_WORDS.find(([field]) => one(field))![0] : 'appearanceSex',
    'What they looked like',
    looks.join('\n'),
  );
  row('about-them', 'description', 'Anything else about them', one('description'));
  row('about-them', 'peopleInvolved', 'How many people were involved', one('peopleInvolved'));

  row('injuries', 'injured', 'Were you hurt?', yesNo('injured'));
  row('injuries', 'wantsMedicalHelp', 'Help to see a doctor or nurse', yesNo('wantsMedicalHelp'));

  const chosen = CONSENT_SCOPES.filter((scope) => many('consents').includes(scope)).map((scope) => CHOICE_WORDS[scope]);
  rows.push({
    key: 'Your choices',
    value: chosen.join('\n') || 'None',
    href: '/report/choices?change=1#consents',
    what: 'your choices',
  });

  row('contact', 'contactName', 'What we call you', one('contactName'));
  for (const [suffix, title] of [
    ['', 'How to reach you'],
    ['2', 'Another way to reach you'],
  ] as const) {
    const kind = one(`contactKind${suffix}`);
    if (!kind) {
      if (!suffix)
        rows.push({
          key: title,
          value: 'Only through this website, with your receipt code',
          href: '/report/contact?change=1#contactKind',
          what: title.toLowerCase(),
        });
      continue;
    }
    const value = one(`contactValue${suffix}`);
    row(
      'contact',
      `contactKind${suffix}`,
      title,
      [CONTACT_KINDS[kind as keyof typeof CONTACT_KINDS] ?? kind, value].filter(Boolean).join(': '),
    );
    row(
      'contact',
      `safeToLeaveMessage${suffix}`,
      suffix ? 'Safe to leave a message that other way' : 'Safe to leave a message',
      yesNo(`safeToLeaveMessage${suffix}`),
    );
    row(
      'contact',
      `safeTimes${suffix}`,
      suffix ? 'When it is safe that other way' : 'When it is safe to contact you',
      one(`safeTimes${suffix}`),
    );
    row(
      'contact',
      `codeWord${suffix}`,
      suffix ? 'Code word for that other way' : 'Code word',
      one(`codeWord${suffix}`),
    );
  }
  row('contact', 'language', 'Language you prefer', one('language'));
  row('contact', 'interpreterNeeded', 'Do you need an interpreter?', yesNo('interpreterNeeded'));
  return rows;
}
