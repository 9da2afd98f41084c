import type { z } from 'zod';
import { CONSENT_SCOPES } from '../consent/index.ts';
import type { DraftAnswers } from './reportDrafts.ts';
import { hasControlCharacters } from '../../platform/validation/text.ts';
import { occurredOnProblem, reportInputSchema, type ReportInput } from './reportSchema.ts';

/** One way to reach someone; the page offers two (the second's fields end in "2"). */
const CONTACT_METHOD_FIELDS = ['contactKind', 'contactValue', 'safeToLeaveMessage', 'safeTimes', 'codeWord'] as const;
const APPEARANCE = ['sex', 'ageRange', 'height', 'build', 'ethnicity', 'hair', 'accent', 'marks', 'clothing'] as const;
const appearanceField = (key: string) => `appearance${key[0]!.toUpperCase()}${key.slice(1)}`;

/** The public report journey, in order. The server never lets anyone skip ahead. */
export const STEPS = [
  { slug: 'safe', fields: ['safeNow'] },
  {
    slug: 'what-happened',
    fields: [
      'incidentTypes',
      'account',
      'whenDay',
      'whenMonth',
      'whenYear',
      'timeOfDay',
      'area',
      'placeDetails',
      'contactStarted',
      'workingContext',
    ],
  },
  {
    slug: 'about-them',
    fields: [
      'names',
      'phones',
      'perpEmail',
      'handles',
      'vehicleMake',
      'vehicleModel',
      'vehicleColour',
      'vehicleRegistration',
      'appearanceSex',
      'appearanceAgeRange',
      'appearanceHeight',
      'appearanceBuild',
      'appearanceEthnicity',
      'appearanceHair',
      'appearanceAccent',
      'appearanceMarks',
      'appearanceClothing',
      'description',
      'peopleInvolved',
    ],
  },
  { slug: 'injuries', fields: ['injured', 'wantsMedicalHelp'] },
  { slug: 'choices', fields: ['consents'] },
  {
    slug: 'contact',
    fields: ['contactName', ...CONTACT_METHOD_FIELDS.flatMap((f) => [f, `${f}2`]), 'language', 'interpreterNeeded'],
  },
  { slug: 'check', fields: [] },
] as const;
export type StepSlug = (typeof STEPS)[number]['slug'];

/** Fields that hold several values (checkboxes). */
const LIST_FIELDS = new Set(['incidentTypes', 'consents']);

export function stepIndex(slug: string): number {
  return STEPS.findIndex((step) => step.slug === slug);
}

/** Takes this step's fields from a form body into the answers, keeping everything else. */
export function mergeStep(answers: DraftAnswers, slug: StepSlug, body: Record<string, unknown>): DraftAnswers {
  const next = { ...answers };
  for (const field of STEPS[stepIndex(slug)]!.fields) {
    const value = body[field];
    if (LIST_FIELDS.has(field))
      next[field] = (Array.isArray(value) ? value : value === undefined ? [] : [value])
        .map(String)
        .filter((v) => v !== '');
    else next[field] = typeof value === 'string' ? value : '';
  }
  return next;
}

const one = (answers: DraftAnswers, field: string): string => {
  const value = answers[field];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
};
const many = (answers: DraftAnswers, field: string): string[] => {
  const value = answers[field];
  return Array.isArray(value) ? value : [];
};
const lines = (answers: DraftAnswers, field: string): string[] =>
  one(answers, field)
    .split(/\r?\n|,/)
    .map((l) => l.trim())
    .filter(Boolean);
const yesNo = (answers: DraftAnswers, field: string): boolean | undefined =>
  one(answers, field) === 'yes' ? true : one(answers, field) === 'no' ? false : undefined;
const optional = (value: string): string | undefined => value || undefined;

/** The date from day, month and year boxes: YYYY-MM-DD, YYYY-MM when only roughly known, or a problem. */
export function occurredOn(answers: DraftAnswers): { value?: string; problem?: string } {
  const [day, month, year] = ['whenDay', 'whenMonth', 'whenYear'].map((f) => one(answers, f));
  if (!day && !month && !year) return {};
  if (!/^\d{4}$/.test(year ?? '') || !/^\d{1,2}$/.test(month ?? '') || Number(month) < 1 || Number(month) > 12) {
    return { problem: 'Enter the month and year, like 11 2026. The day is optional' };
  }
  if (Number(year) < 1000) return { problem: 'Enter the year with four numbers, like 2026' };
  const ym = `${year}-${month!.padStart(2, '0')}`;
  if (!day) return { value: ym };
  const date = new Date(`${ym}-${day.padStart(2, '0')}T00:00:00Z`);
  if (!/^\d{1,2}$/.test(day) || Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day))
    return { problem: 'Enter a real day of the month, or leave the day empty' };
  return { value: `${ym}-${day.padStart(2, '0')}` };
}

/** The answers as the report the service takes (the same shape the API accepts). */
export function toReportInput(answers: DraftAnswers): unknown {
  const methods = ['', '2']
    .filter((suffix) => one(answers, `contactKind${suffix}`))
    .map((suffix) => ({
      kind: one(answers, `contactKind${suffix}`),
      value: optional(one(answers, `contactValue${suffix}`)),
      safeToLeaveMessage: yesNo(answers, `safeToLeaveMessage${suffix}`) ?? false,
      safeTimes: optional(one(answers, `safeTimes${suffix}`)),
      codeWord: optional(one(answers, `codeWord${suffix}`)),
    }));
  const appearance = Object.fromEntries(
    APPEARANCE.map((key) => [key, optional(one(answers, appearanceField(key)))]).filter(([, v]) => v),
  );
  return {
    incidentTypes: many(answers, 'incidentTypes'),
    account: one(answers, 'account'),
    occurredOn: occurredOn(answers).value,
    timeOfDay: optional(one(answers, 'timeOfDay')),
    area: optional(one(answers, 'area')),
    placeDetails: optional(one(answers, 'placeDetails')),
    contactStarted: optional(one(answers, 'contactStarted')),
    workingContext: optional(one(answers, 'workingContext')),
    perpetrator: {
      names: lines(answers, 'names'),
      phones: lines(answers, 'phones'),
      emails: lines(answers, 'perpEmail'),
      handles: lines(answers, 'handles'),
      vehicle: {
        make: optional(one(answers, 'vehicleMake')),
        model: optional(one(answers, 'vehicleModel')),
        colour: optional(one(answers, 'vehicleColour')),
        registration: optional(one(answers, 'vehicleRegistration')),
      },
      appearance: Object.keys(appearance).length ? appearance : undefined,
      description: optional(one(answers, 'description')),
    },
    peopleInvolved: one(answers, 'peopleInvolved') ? Number(one(answers, 'peopleInvolved')) : undefined,
    injured: yesNo(answers, 'injured'),
    wantsMedicalHelp: yesNo(answers, 'wantsMedicalHelp'),
    consents: Object.fromEntries(CONSENT_SCOPES.map((scope) => [scope, many(answers, 'consents').includes(scope)])),
    contact: {
      name: optional(one(answers, 'contactName')),
      methods,
      language: optional(one(answers, 'language')),
      interpreterNeeded: yesNo(answers, 'interpreterNeeded'),
    },
  };
}

// Where each problem in the report shows on the pages.
const FIELD_FOR_PATH: Record<string, string> = {
  incidentTypes: 'incidentTypes',
  account: 'account',
  occurredOn: 'whenMonth',
  timeOfDay: 'timeOfDay',
  area: 'area',
  placeDetails: 'placeDetails',
  contactStarted: 'contactStarted',
  workingContext: 'workingContext',
  'perpetrator.names': 'names',
  'perpetrator.phones': 'phones',
  'perpetrator.emails': 'perpEmail',
  'perpetrator.handles': 'handles',
  'perpetrator.vehicle.make': 'vehicleMake',
  'perpetrator.vehicle.model': 'vehicleModel',
  'perpetrator.vehicle.colour': 'vehicleColour',
  'perpetrator.vehicle.registration': 'vehicleRegistration',
  'perpetrator.description': 'description',
  peopleInvolved: 'peopleInvolved',
  'consents.policeContact': 'consents',
  'contact.name': 'contactName',
  'contact.methods.0.value': 'contactValue',
  'contact.methods.0.safeTimes': 'safeTimes',
  'contact.methods.0.codeWord': 'codeWord',
  'contact.methods.0.kind': 'contactKind',
  'contact.language': 'language',
  'contact.methods.1.value': 'contactValue2',
  'contact.methods.1.safeTimes': 'safeTimes2',
  'contact.methods.1.codeWord': 'codeWord2',
  'contact.methods.1.kind': 'contactKind2',
  ...Object.fromEntries(APPEARANCE.map((key) => [`perpetrator.appearance.${key}`, appearanceField(key)])),
};

/**
 * Problems with the report so far, as { field, message }, optionally only those
 * on one step. `today` is the UK date, so an incident cannot be in the future.
 */
export function problemsIn(
  answers: DraftAnswers,
  today: string,
  onlyStep?: StepSlug,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const date = occurredOn(answers);
  const dateProblem = date.problem ?? occurredOnProblem(date.value, today);
  if (dateProblem) problems.push({ field: 'whenMonth', message: dateProblem });
  const parsed = reportInputSchema.safeParse(toReportInput(answers));
  if (!parsed.success) {
    for (const issue of (parsed.error as z.ZodError).issues) {
      const path = issue.path.map(String);
      const field =
        FIELD_FOR_PATH[path.join('.')] ??
        FIELD_FOR_PATH[path.slice(0, -1).join('.')] ??
        FIELD_FOR_PATH[path[0] ?? ''] ??
        'account';
      problems.push({ field, message: issue.message });
    }
  }
  // Whatever a page sends, even for a question the report does not keep, holds no control characters.
  for (const [field, value] of Object.entries(answers)) {
    if ((Array.isArray(value) ? value : [value]).some(hasControlCharacters))
      problems.push({
        field,
        message: 'This answer contains a hidden character that cannot be saved. Remove it, or type the text again',
      });
  }
  if (!onlyStep) return problems;
  const fields = new Set<string>(STEPS[stepIndex(onlyStep)]!.fields);
  return problems.filter((p) => fields.has(p.field));
}

export function reportFrom(answers: DraftAnswers): ReportInput {
  return reportInputSchema.parse(toReportInput(answers));
}

/** Choices that mean someone will want to reach the person. */
const REACHING_CHOICES = ['support', 'policeReport', 'policeContact'];

/**
 * After an answer is changed from "Check your answers", the later step the change
 * makes necessary, if any: one whose answers now have a problem, or the contact
 * page when a newly made choice means someone will reach out and no way to reach
 * the person was given. Otherwise the person goes straight back to check.
 */
export function stepNeededAfterChange(
  changed: StepSlug,
  before: DraftAnswers,
  after: DraftAnswers,
  today: string,
): StepSlug | undefined {
  const later = STEPS.slice(stepIndex(changed) + 1).filter((step) => step.slug !== 'check');
  const withProblem = later.find((step) => problemsIn(after, today, step.slug).length > 0);
  if (withProblem) return withProblem.slug;
  const newlyChosen = many(after, 'consents').filter((scope) => !many(before, 'consents').includes(scope));
  if (
    changed === 'choices' &&
    newlyChosen.some((scope) => REACHING_CHOICES.includes(scope)) &&
    !one(after, 'contactKind')
  )
    return 'contact';
  return undefined;
}
