import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CASE_WORKERS_API } from '../../platform/http/caseAccess.ts';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { textField } from '../../platform/validation/text.ts';
import { callerToken } from '../../platform/http/api/callerToken.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { CONSENT_SCOPES, ConsentError } from '../consent/index.ts';
import { formatReceiptCode } from '../../platform/crypto/receiptCodes.ts';
import { REPORT_SOURCES, reportInputSchema } from './reportSchema.ts';
import { ReportError } from './reportService.ts';
import { AREA_FILTER_PROBLEM, apiInboxQuerySchema, toInboxFilter } from '../casework/index.ts';
import { codeApiError } from '../throttling/index.ts';

const PUBLIC = { kind: 'public' } as const;
const consentsSchema = z.object(
  Object.fromEntries(CONSENT_SCOPES.map((s) => [s, z.boolean()])) as Record<
    (typeof CONSENT_SCOPES)[number],
    z.ZodBoolean
  >,
);
const BAD_CODE = 'That receipt code did not work. Check it and try again later.';

/** The reporting API: the same validation and rules as the pages. */
export function defineReportingApi(api: ApiRegistry, services: Services): void {
  /** The report a `Authorization: Receipt <code>` header opens; a generic 401 otherwise. */
  async function reportFor(request: FastifyRequest): Promise<string> {
    const match = /^Receipt\s+([\d\s.-]{16,40})$/.exec(request.headers.authorization ?? '');
    const unauthorised = new HttpError(401, 'invalid_receipt', BAD_CODE);
    if (!match?.[1]) throw unauthorised;
    // No proof of work here: under a guessing spike the API answers 429 and the website still works.
    const result = await services.reports.attemptCode(match[1], request.ip, {}, { offerTickets: false });
    if (!result.ok) throw codeApiError(result, unauthorised, services.now());
    // The code still opens an erased report, only to say that it was erased and when.
    const erased = await services.reports.erasure(result.value);
    if (erased) throw new HttpError(410, 'report_erased', `${erased.sentence}.`);
    return result.value;
  }

  api.define({
    method: 'POST',
    path: '/api/v1/reports',
    summary:
      'Send a report. Public; a support organisation staff token records an assisted report with its source. ' +
      'With an Idempotency-Key header a retry of the same body returns the same report; the same key with another body is 422 idempotency_key_reused.',
    tag: 'Reporting',
    access: PUBLIC,
    body: reportInputSchema.extend({ source: z.enum(REPORT_SOURCES).optional() }),
    response: z.object({ reference: z.string(), receiptCode: z.string() }),
    successStatus: 201,
    // One address sending reports in bulk is a flood, not people reporting. The
    // limit (per hour, shared by every instance) leaves room for a shared
    // tablet or a drop-in's Wi-Fi. Staff tokens recording assisted reports are
    // not counted: a bearer that is not a valid staff token is refused below.
    ...(services.config.reportSubmissionLimit > 0
      ? {
          rateLimit: {
            max: services.config.reportSubmissionLimit,
            timeWindow: '1 hour',
            allowList: (request: FastifyRequest) => /^Bearer \S+$/.test(request.headers.authorization ?? ''),
          },
        }
      : {}),
    async handler({ body, request }) {
      const key = request.headers['idempotency-key'];
      if (key !== undefined && (typeof key !== 'string' || !/^[\x21-\x7e]{16,200}$/.test(key))) {
        throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 16 to 200 visible characters');
      }
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      const staff = bearer ? await services.authenticator.fromBearerToken(bearer) : undefined;
      if (
        bearer &&
        (staff?.kind !== 'api' ||
          staff.orgKind !== 'support' ||
          !['caseworker', 'outreach', 'liaison', 'admin'].includes(staff.role))
      ) {
        throw new HttpError(403, 'forbidden', 'Only support organisation staff tokens can record assisted reports');
      }
      const { source, ...input } = body;
      // A token acts only for its own organisation: it cannot file a report into another charity's inbox.
      const own = staff?.kind === 'api' ? (await services.organisations.findById(staff.orgId))?.slug : undefined;
      if (staff?.kind === 'api' && input.org !== undefined && input.org !== own) {
        throw new HttpError(
          403,
          'forbidden',
          'A staff token records reports only for its own organisation: leave out org, or give its own slug',
        );
      }
      try {
        const result = await services.reports.submit(staff?.kind === 'api' ? { ...input, org: own } : input, {
          source: staff ? (source ?? 'outreach') : 'online',
          recordedBy: null,
          recordedByToken: staff?.kind === 'api' ? staff.tokenId : null,
          idempotencyKey: key,
          sentBody: body,
        });
        if (!result.receiptCode)
          throw new HttpError(409, 'already_submitted', `This report was already sent as ${result.reference}`);
        return { reference: result.reference, receiptCode: formatReceiptCode(result.receiptCode) };
      } catch (error) {
        if (error instanceof ReportError && error.code === 'idempotency_key_reused')
          throw new HttpError(422, 'idempotency_key_reused', error.message);
        if (error instanceof ReportError && error.code === 'invalid_date')
          throw new HttpError(400, 'invalid_request', `body.occurredOn: ${error.message}`);
        if (error instanceof ReportError) throw new HttpError(400, 'invalid_request', error.message);
        if (error instanceof ConsentError)
          throw new HttpError(400, 'invalid_request', `body.consents.policeContact: ${error.message}`);
        throw error;
      }
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/reports/self',
    summary: 'The report a receipt code opens (Authorization: Receipt <code>)',
    tag: 'Reporting',
    access: PUBLIC,
    response: z.object({
      reference: z.string(),
      status: z.string(),
      submittedAt: z.string(),
      consents: consentsSchema,
      messages: z.array(z.object({ from: z.enum(['you', 'support']), body: z.string(), sentAt: z.string() })),
      // "What is happening", newest first, as on Check your report: each sentence computed from what happened.
      progress: z.array(
        z.object({
          at: z.string().describe('When it happened (ISO 8601)'),
          kind: z
            .string()
            .describe(
              'received, read, assigned, referral-sent, referral-accepted, referral-declined, warning-published, warning-withdrawn, warning-ended, update, appointment, choice-given, choice-withdrawn, stop-requested or deletion-requested',
            ),
          text: z.string().describe('The same plain sentence the page shows'),
        }),
      ),
    }),
    async handler({ request }) {
      const reportId = await reportFor(request);
      const [{ reference, status, submittedAt, consents, messages }, { progress }] = await Promise.all([
        services.reports.reporterView(reportId),
        services.reportProgress.overview(reportId),
      ]);
      return { reference, status, submittedAt, consents, messages, progress };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/self/messages',
    summary: 'Send a message to the support organisation about your report',
    tag: 'Reporting',
    access: PUBLIC,
    body: z.object({ body: textField('A message', 5000, 'Write a message') }),
    response: z.object({ sent: z.literal(true) }),
    successStatus: 201,
    async handler({ body, request }) {
      await services.reports.addMessage(await reportFor(request), body.body, { sender: 'reporter' });
      return { sent: true as const };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/self/additions',
    summary: 'Add something to your report (kept with its time; nothing is overwritten)',
    tag: 'Reporting',
    access: PUBLIC,
    body: z.object({ text: textField('An addition', 20_000, 'Write what you want to add') }),
    response: z.object({ added: z.literal(true) }),
    successStatus: 201,
    async handler({ body, request }) {
      await services.reports.addAddition(await reportFor(request), body.text, null);
      return { added: true as const };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/self/consents',
    summary: 'Give or withdraw one choice; takes effect at once',
    tag: 'Reporting',
    access: PUBLIC,
    body: z.object({
      scope: z.enum(CONSENT_SCOPES, { message: `scope must be one of ${CONSENT_SCOPES.join(', ')}` }),
      given: z.boolean(),
    }),
    response: z.object({ consents: consentsSchema }),
    async handler({ body, request }) {
      try {
        return {
          consents: await services.reports.changeConsent(
            await reportFor(request),
            body.scope,
            body.given,
            'online',
            null,
          ),
        };
      } catch (error) {
        if (error instanceof ConsentError) throw new HttpError(400, 'invalid_request', error.message);
        throw error;
      }
    },
  });

  // Only the people who work cases read them: outreach, analysts and administrators never read accounts.
  const READERS = CASE_WORKERS_API;
  const referenceParams = z.object({
    reference: z.string().regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'A reference looks like R-7XK2-Q9M4'),
  });

  api.define({
    method: 'GET',
    path: '/api/v1/reports',
    summary: "The organisation's reports, newest first (no accounts or contact details)",
    tag: 'Reporting',
    access: READERS,
    // Filters as on the inbox page (casework/inboxFilters.ts): status, from/to (YYYY-MM-DD), type, area, source, assignee, flag, consent, q.
    query: apiInboxQuerySchema,
    response: z.object({
      items: z.array(
        z.object({
          reference: z.string(),
          status: z.string(),
          submittedAt: z.string(),
          incidentTypes: z.array(z.string()),
          source: z.string(),
          area: z.string().nullable(),
          priority: z.string(),
          riskFlags: z.array(z.string()),
          assigneeId: z.string().nullable(),
        }),
      ),
      hasMore: z.boolean(),
    }),
    async handler({ query, request }) {
      const { page, ...fields } = query;
      const orgId = callerToken(request.principal).orgId;
      if (fields.area && !(await services.organisations.areas(orgId)).includes(fields.area))
        throw new HttpError(400, 'invalid_request', `query.area: ${AREA_FILTER_PROBLEM}`);
      const { items, hasMore } = await services.reports.inbox(orgId, page, 50, toInboxFilter(fields, undefined));
      return {
        items: items.map((r) => ({
          reference: r.reference,
          status: r.status,
          submittedAt: r.submitted_at,
          incidentTypes: r.incidentTypes,
          source: r.source,
          area: r.area,
          priority: r.priority,
          riskFlags: r.riskFlags,
          assigneeId: r.assignee_id,
        })),
        hasMore,
      };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/reports/:reference',
    summary: 'One report in full, for roles allowed to read it (the read is audited)',
    tag: 'Reporting',
    access: READERS,
    params: referenceParams,
    response: z.object({
      reference: z.string(),
      status: z.string(),
      source: z.string(),
      submittedAt: z.string(),
      incidentTypes: z.array(z.string()),
      occurredOn: z.string().nullable(),
      area: z.string().nullable(),
      account: z.string(),
      details: z.record(z.string(), z.unknown()),
      contact: z.record(z.string(), z.unknown()).optional(),
      consents: consentsSchema,
      messages: z.array(z.object({ from: z.enum(['you', 'support']), body: z.string(), sentAt: z.string() })),
      additions: z.array(z.object({ text: z.string(), addedAt: z.string() })),
      erased: z
        .object({ at: z.string(), because: z.enum(['retention', 'request']), sentence: z.string() })
        .nullable()
        .describe('When and why the personal content was erased (every text is then empty); null while it is not'),
    }),
    async handler({ params, request }) {
      const caller = callerToken(request.principal);
      const report = await services.reports.staffView(
        { userId: null, tokenId: caller.tokenId, orgId: caller.orgId },
        params.reference,
      );
      if (!report)
        throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
      return report;
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/messages',
    summary: "Reply in the person's thread (they see it when they check their report)",
    tag: 'Reporting',
    access: READERS,
    params: referenceParams,
    body: z.object({ body: textField('A reply', 5000, 'Write a reply') }),
    response: z.object({ sent: z.literal(true) }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const caller = callerToken(request.principal);
      const reportId = await services.reports.idOf(caller.orgId, params.reference);
      if (!reportId)
        throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
      await services.reports.addMessage(reportId, body.body, { sender: 'support', userId: null });
      return { sent: true as const };
    },
  });
}
