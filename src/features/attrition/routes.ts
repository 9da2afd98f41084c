import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { actorOf, auditActor } from '../../platform/actors/actor.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import { longDate } from './atRisk.ts';
import { ENGAGEMENT_STATUSES, EngagementError, engagementSchema, WITHDRAWAL_REASONS } from './engagement.ts';

const PAGE_SIZE = 100;
const referenceParams = z.object({ reference: z.string().regex(/^[A-Z0-9-]{1,40}$/) });
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
const ENGAGEMENT_PAGE = 'attrition/views/engagement.njk';

/** The form as typed: repeated checkboxes arrive as an array, everything else as one string. */
export function engagementForm(body: unknown): {
  status: string;
  reasons: string[];
  note: string;
  on: string;
  wantsSupport: string;
} {
  const values = formBody(body);
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).reasons : undefined;
  const reasons = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).map(String);
  return {
    status: values.status ?? '',
    reasons,
    note: values.note ?? '',
    on: values.on ?? '',
    wantsSupport: values.wantsSupport ?? '',
  };
}

/** Attrition watch: the at-risk list and each case's engagement. */
export async function attritionRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const config = { access: CASE_WORKERS };

  app.get('/staff/at-risk', { config }, async (request, reply) => {
    const query = pageQuery.safeParse(request.query);
    if (!query.success) throw new HttpError(400, 'invalid_request', 'The page must be a whole number from 1');
    const actor = actorOf(request);
    const page = query.data.page;
    const { items, total } = await services.atRisk.list(actor.orgId, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    await services.audit.record({
      ...auditActor(actor),
      action: 'attrition.at-risk.viewed',
      targetKind: 'organisation',
      targetId: actor.orgId,
      detail: { page, shown: items.length },
    });
    return reply.render('attrition/views/at-risk.njk', {
      pageTitle: 'At risk of withdrawing',
      items: items.map((i) => ({
        ...i,
        lastContactText: i.lastContactAt ? longDate(i.lastContactAt.slice(0, 10)) : 'Never',
      })),
      total,
      page,
      previousPage: page > 1 ? page - 1 : null,
      nextPage: page * PAGE_SIZE < total ? page + 1 : null,
    });
  });

  /** The report, looked up within the caller's organisation only: another organisation's is the same 404. */
  const caseOf = async (request: FastifyRequest) => {
    const params = referenceParams.safeParse(request.params);
    const reportId = params.success
      ? await services.caseWork.reportId(actorOf(request).orgId, params.data.reference)
      : undefined;
    if (!params.success || !reportId)
      throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
    return { reportId, reference: params.data.reference };
  };

  const engagementPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const { reportId, reference } = await caseOf(request);
    const history = await services.engagement.history(actorOf(request), reportId);
    return {
      pageTitle: `Engagement – ${reference}`,
      reference,
      current: history[0] ?? null,
      history: history.map((h) => ({
        ...h,
        statusText: ENGAGEMENT_STATUSES[h.status],
        reasonsText: h.reasons.map((r) => WITHDRAWAL_REASONS[r]).join(', '),
        onText: longDate(h.on),
      })),
      statuses: ENGAGEMENT_STATUSES,
      reasons: WITHDRAWAL_REASONS,
      values: { on: services.now().toISOString().slice(0, 10), reasons: [] as string[] },
      recorded: (request.query as Record<string, unknown> | undefined)?.recorded === '1',
      ...extra,
    };
  };

  app.get('/staff/reports/:reference/engagement', { config }, async (request, reply) =>
    reply.render(ENGAGEMENT_PAGE, await engagementPage(request)),
  );

  app.post('/staff/reports/:reference/engagement', { config }, async (request, reply) => {
    const { reportId, reference } = await caseOf(request);
    const values = engagementForm(request.body);
    const parsed = engagementSchema.safeParse({ ...values, wantsSupport: values.wantsSupport || undefined });
    const fail = async (problems: { field: string; message: string }[]) =>
      reply
        .code(400)
        .render(ENGAGEMENT_PAGE, await engagementPage(request, { ...formErrors(problems), values, recorded: false }));
    if (!parsed.success)
      return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'status'), message: i.message })));
    try {
      await services.engagement.record(actorOf(request), reportId, parsed.data);
    } catch (error) {
      if (!(error instanceof EngagementError)) throw error;
      return fail([{ field: error.field, message: error.message }]);
    }
    return reply.redirect(`/staff/reports/${reference}/engagement?recorded=1`, 303);
  });
}
