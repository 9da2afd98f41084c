import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import { CONSENT_SCOPES, type ConsentScope } from '../consent/index.ts';
import { INCIDENT_TYPES, REPORT_SOURCES } from '../vocabulary/index.ts';
import { RISK_FLAGS, STATUSES } from './triage.ts';

/** What the inbox (page and API) can narrow reports by; every field is validated before it gets here. */
export interface InboxFilter {
  status?: string;
  assigneeId?: string | null;
  reference?: string;
  /** YYYY-MM-DD, inclusive, on the submitted date (UTC). */
  from?: string;
  to?: string;
  type?: string;
  area?: string;
  source?: string;
  flag?: string;
  consent?: { scope: ConsentScope; given: boolean };
}

const filterDate = isoDate('Enter a real date, like 2026-11-28');
const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** Reports are filtered by area only on the organisation's configured areas: an area typed as free text is stored encrypted. */
export const AREA_FILTER_PROBLEM =
  "Choose one of your organisation's areas (an area typed in a report is kept encrypted and cannot be filtered on)";

/** e.g. `policeReport:given` or `policeReport:not`. */
export const CONSENT_FILTERS = CONSENT_SCOPES.flatMap((scope) => [`${scope}:given`, `${scope}:not`] as const);

/**
 * The inbox filters, as query-string fields (the page's GET form and the API
 * share them). Unknown values are errors, so a filter never silently widens.
 */
export const inboxFilterFields = {
  status: z.enum(STATUSES).optional(),
  from: filterDate.optional(),
  to: filterDate.optional(),
  type: z.enum(Object.keys(INCIDENT_TYPES) as [string, ...string[]]).optional(),
  area: z.string().trim().min(1).max(200).optional(),
  source: z.enum(REPORT_SOURCES).optional(),
  /** `me`, `none` (unassigned) or a user id; absent means anyone. */
  assignee: z.union([z.literal('me'), z.literal('none'), userId]).optional(),
  flag: z.enum(Object.keys(RISK_FLAGS) as [keyof typeof RISK_FLAGS]).optional(),
  consent: z.enum(CONSENT_FILTERS as unknown as [string, ...string[]]).optional(),
  q: z
    .string()
    .trim()
    .max(20)
    .regex(/^[A-Za-z0-9-]*$/, 'A reference looks like R-7XK2-Q9M4')
    .optional(),
};
export const inboxFilterSchema = z.object(inboxFilterFields).refine((f) => !f.from || !f.to || f.from <= f.to, {
  message: 'The "to" date must be the same as or after the "from" date',
  path: ['to'],
});
export type InboxFilterFields = z.infer<typeof inboxFilterSchema>;
export const FILTER_NAMES = Object.keys(inboxFilterFields) as (keyof InboxFilterFields)[];

/** The service's filter from validated fields; `me` is the caller (absent for API tokens, which are nobody). */
export function toInboxFilter(fields: InboxFilterFields, me: string | undefined): InboxFilter {
  const [scope, state] = (fields.consent?.split(':') ?? []) as [ConsentScope?, string?];
  return {
    status: fields.status,
    from: fields.from,
    to: fields.to,
    type: fields.type,
    area: fields.area,
    source: fields.source,
    flag: fields.flag,
    reference: fields.q ? fields.q.toUpperCase() : undefined,
    assigneeId: fields.assignee === 'none' ? null : fields.assignee === 'me' ? (me ?? '-') : fields.assignee,
    consent: scope ? { scope, given: state === 'given' } : undefined,
  };
}

/**
 * Reads the inbox page's query string: empty fields are "any"; a field that
 * does not validate is reported (and left out of the filter) rather than ignored.
 */
export function readInboxQuery(raw: unknown): {
  fields: InboxFilterFields;
  page: number;
  problems: { field: string; message: string }[];
} {
  const input = (raw ?? {}) as Record<string, unknown>;
  const page = z.coerce.number().int().min(1).max(100_000).catch(1).parse(input.page);
  const fields: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const name of FILTER_NAMES) {
    const value = typeof input[name] === 'string' ? (input[name] as string).trim() : '';
    if (!value) continue;
    const parsed = inboxFilterFields[name].safeParse(value);
    if (parsed.success) fields[name] = parsed.data;
    else
      problems.push({
        field: name,
        message: parsed.error.issues[0]?.message.startsWith('Invalid')
          ? `Choose a valid ${name}`
          : (parsed.error.issues[0]?.message ?? `Choose a valid ${name}`),
      });
  }
  // The old "only cases I look after" link.
  if (input.mine === '1' && !fields.assignee) fields.assignee = 'me';
  const whole = inboxFilterSchema.safeParse(fields);
  if (!whole.success) {
    problems.push({ field: 'to', message: whole.error.issues[0]!.message });
    delete fields.to;
  }
  return { fields: fields as InboxFilterFields, page, problems };
}

/** The filters as a query string, so each page link keeps them. */
export function keepFilters(fields: InboxFilterFields): string {
  return new URLSearchParams(
    Object.entries(fields).filter(([, v]) => typeof v === 'string' && v) as [string, string][],
  ).toString();
}

/** The API's query: the same filters (an API token is nobody, so `assignee` is `none` or a user id), and a page. */
export const apiInboxQuerySchema = z
  .object({
    ...inboxFilterFields,
    assignee: z
      .union([z.literal('none'), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)], {
        message: 'assignee must be "none" or a user id',
      })
      .optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'to must be the same as or after from', path: ['to'] });
