import { INCIDENT_TYPES } from '../vocabulary/index.ts';

export const REFERRAL_LEVELS = ['intelligence', 'full'] as const;
export type ReferralLevel = (typeof REFERRAL_LEVELS)[number];

/** The consent each level needs, checked when sending and again at every police view. */
export const CONSENT_FOR_LEVEL = { intelligence: 'policeIntelligence', full: 'policeReport' } as const;

export interface Perpetrator {
  names: string[];
  phones: string[];
  emails: string[];
  handles: string[];
  vehicle?: { make?: string; model?: string; colour?: string; registration?: string };
  appearance?: Record<string, string | undefined>;
  description?: string;
}

export interface VictimDetails {
  name: string | null;
  language: string | null;
  interpreterNeeded: boolean;
  /** How police may reach them, with the safe-contact rules; shown only while `policeContact` is current. */
  contact: { kind: string; value: string | null; safeToLeaveMessage: boolean; safeTimes: string | null }[];
}

/**
 * What a referral carries, stored encrypted. `intelligence`: the text the
 * liaison prepared plus the outline facts (types, area, month) — nothing about
 * the person. `full`: also the account, the date, the perpetrator and the
 * person's details.
 */
export interface ReferralContent {
  summary: string;
  incidentTypes: string[];
  area: string | null;
  /** `YYYY-MM` for intelligence; the date as given for full. */
  when: string | null;
  account?: string;
  placeDetails?: string | null;
  perpetrator?: Perpetrator;
  victim?: VictimDetails;
}

export interface ReportFacts {
  incidentTypes: string[];
  occurredOn: string | null;
  area: string | null;
  account: string;
  details: { perpetrator?: Perpetrator; peopleInvolved?: number; placeDetails?: string; timeOfDay?: string };
  contact?: {
    name?: string;
    language?: string;
    interpreterNeeded?: boolean;
    methods?: { kind: string; value?: string; safeToLeaveMessage?: boolean; safeTimes?: string }[];
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthOf(occurredOn: string | null): string | null {
  return occurredOn && /^\d{4}-\d{2}/.test(occurredOn) ? occurredOn.slice(0, 7) : null;
}

function monthWords(month: string | null): string {
  if (!month) return 'not known';
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

function labels(types: string[]): string {
  return types.map((t) => INCIDENT_TYPES[t as keyof typeof INCIDENT_TYPES] ?? t).join(', ') || 'not said';
}

/** Who did it, in words: the perpetrator details given, nothing about the person reporting. */
export function perpetratorLines(p: Perpetrator | undefined): string[] {
  if (!p) return [];
  const lines: string[] = [];
  if (p.names.length) lines.push(`Names used: ${p.names.join(', ')}`);
  if (p.phones.length) lines.push(`Phone numbers: ${p.phones.join(', ')}`);
  if (p.emails.length) lines.push(`Email addresses: ${p.emails.join(', ')}`);
  if (p.handles.length) lines.push(`Usernames: ${p.handles.join(', ')}`);
  const vehicle = p.vehicle
    ? [p.vehicle.colour, p.vehicle.make, p.vehicle.model, p.vehicle.registration].filter(Boolean).join(' ')
    : '';
  if (vehicle) lines.push(`Vehicle: ${vehicle}`);
  const looks = p.appearance ? Object.values(p.appearance).filter(Boolean).join('; ') : '';
  if (looks) lines.push(`Looked like: ${looks}`);
  if (p.description) lines.push(`Description: ${p.description}`);
  return lines;
}

/**
 * The redacted starting point for an intelligence referral: what happened in
 * outline (the types, not the person's own words), the area, the month and
 * year, and the perpetrator. The person's name, contact details and account
 * are never part of it.
 */
export function intelligenceDraft(facts: ReportFacts): string {
  const lines = [
    `What happened: ${labels(facts.incidentTypes)}.`,
    `When: ${monthWords(monthOf(facts.occurredOn))}.`,
    `Where: ${facts.area ?? 'not known'}.`,
  ];
  if (facts.details.peopleInvolved) lines.push(`People involved: ${facts.details.peopleInvolved}.`);
  const who = perpetratorLines(facts.details.perpetrator);
  if (who.length) lines.push('', 'The person responsible:', ...who);
  return lines.join('\n');
}

/** Things that would identify the person reporting; an intelligence text must contain none of them. */
export function identifyingValues(facts: ReportFacts): string[] {
  const values = [facts.contact?.name, ...(facts.contact?.methods ?? []).map((m) => m.value)];
  return values.filter((v): v is string => typeof v === 'string' && v.trim().length >= 3).map((v) => v.trim());
}

/**
 * Whether a text names the person or gives one of their contact values: whole
 * words, case-insensitive; numbers also match written with spaces or dashes.
 */
export function mentionsPerson(text: string, facts: ReportFacts): boolean {
  const digitsOfText = text.replace(/\D/g, '');
  const draft = intelligenceDraft(facts);
  // A value the redacted draft itself contains (a person called "May", a month) is not a sign of them.
  const matches = (value: string, where: string, whereDigits: string) => {
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 7 && whereDigits.includes(digits)) return true;
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(where);
  };
  return identifyingValues(facts).some(
    (value) => matches(value, text, digitsOfText) && !matches(value, draft, draft.replace(/\D/g, '')),
  );
}

export function buildContent(level: ReferralLevel, facts: ReportFacts, summary: string): ReferralContent {
  if (level === 'intelligence') {
    return { summary, incidentTypes: facts.incidentTypes, area: facts.area, when: monthOf(facts.occurredOn) };
  }
  const contact = facts.contact;
  return {
    summary,
    incidentTypes: facts.incidentTypes,
    area: facts.area,
    when: facts.occurredOn,
    account: facts.account,
    placeDetails: facts.details.placeDetails ?? null,
    perpetrator: facts.details.perpetrator,
    victim: {
      name: contact?.name ?? null,
      language: contact?.language ?? null,
      interpreterNeeded: contact?.interpreterNeeded === true,
      // The code word stays with the charity: it is how the person knows the charity is calling.
      contact: (contact?.methods ?? []).map((m) => ({
        kind: m.kind,
        value: m.value ?? null,
        safeToLeaveMessage: m.safeToLeaveMessage === true,
        safeTimes: m.safeTimes ?? null,
      })),
    },
  };
}

export interface IntelligenceRecord {
  id: string;
  force: string;
  receivedAt: string;
  incidentTypes: string[];
  area: string | null;
  month: string | null;
  summary: string;
}

const CSV_COLUMNS: (keyof IntelligenceRecord)[] = [
  'id',
  'force',
  'receivedAt',
  'incidentTypes',
  'area',
  'month',
  'summary',
];

function csvCell(value: unknown): string {
  let text = Array.isArray(value) ? value.join(';') : value == null ? '' : String(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is read as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row. */
export function toCsv(records: IntelligenceRecord[]): string {
  return (
    [CSV_COLUMNS.join(','), ...records.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}
