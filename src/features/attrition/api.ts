import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS_API } from '../../platform/http/caseAccess.ts';
import { FLAG_WEIGHTS, type RiskFlag } from './atRiskRepository.ts';
import {
  ENGAGEMENT_STATUSES,
  EngagementError,
  engagementSchema,
  WITHDRAWAL_REASONS,
  type EngagementReason,
  type EngagementStatus,
} from './engagement.ts';

const referenceParams = z.object({
  reference: z.string().regex(/^[A-Z0-9-]{1,40}$/, 'A reference looks like R-7XK2-Q9M4'),
});

/** Attrition watch in the API: the at-risk list and recording engagement. */
export function defineAttritionApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/at-risk',
    summary:
      'Open cases with at least one risk flag (computed now), most at risk first, then the longest since successful contact',
    tag: 'Attrition watch',
    access: CASE_WORKERS_API,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    }),
    response: z.object({
      total: z.number(),
      items: z.array(
        z.object({
          reference: z.string(),
          flags: z.array(z.enum(Object.keys(FLAG_WEIGHTS) as [RiskFlag])),
          flagText: z.array(z.string()),
          score: z.number(),
          lastContactAt: z.string().nullable(),
          daysSinceContact: z.number(),
          engagement: z.enum(Object.keys(ENGAGEMENT_STATUSES) as [EngagementStatus]).nullable(),
          bailEndsOn: z.string().nullable(),
        }),
      ),
    }),
    async handler({ query, request }) {
      const { items, total } = await services.atRisk.list(actorOf(request).orgId, query);
      return {
        total,
        items: items.map((i) => ({
          reference: i.reference,
          flags: i.flags.map((f) => f.key),
          flagText: i.flags.map((f) => f.text),
          score: i.score,
          lastContactAt: i.lastContactAt,
          daysSinceContact: i.daysSinceContact,
          engagement: i.engagement,
          bailEndsOn: i.bailEndsOn,
        })),
      };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/engagement',
    summary:
      "Record the person's engagement with the case: engaged, wavering or withdrawn, with reasons and the date; withdrawal says whether they want support to continue",
    tag: 'Attrition watch',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: z.object({
      status: z.enum(Object.keys(ENGAGEMENT_STATUSES) as [EngagementStatus], {
        message: 'status must be engaged, wavering or withdrawn',
      }),
      reasons: z
        .array(
          z.enum(Object.keys(WITHDRAWAL_REASONS) as [EngagementReason], {
            message: `each reason must be one of ${Object.keys(WITHDRAWAL_REASONS).join(', ')}`,
          }),
        )
        .max(8)
        .optional(),
      note: z.string().max(2000).optional(),
      on: isoDate('on must be a real date, YYYY-MM-DD'),
      wantsSupportToContinue: z.boolean().optional(),
    }),
    response: z.object({
      reference: z.string(),
      status: z.enum(Object.keys(ENGAGEMENT_STATUSES) as [EngagementStatus]),
      wantsSupportToContinue: z.boolean().nullable(),
      on: z.string(),
    }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const actor = actorOf(request);
      const reportId = await services.caseWork.reportId(actor.orgId, params.reference);
      if (!reportId)
        throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
      const parsed = engagementSchema.safeParse({
        ...body,
        wantsSupport:
          body.wantsSupportToContinue === undefined ? undefined : body.wantsSupportToContinue ? 'yes' : 'no',
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path[0] === 'wantsSupport' ? 'wantsSupportToContinue' : issue.path.join('.');
        throw new HttpError(400, 'invalid_request', `body.${field}: ${issue.message}`);
      }
      try {
        await services.engagement.record(actor, reportId, parsed.data);
      } catch (error) {
        if (error instanceof EngagementError)
          throw new HttpError(400, 'invalid_request', `body.${error.field}: ${error.message}`);
        throw error;
      }
      const now = await services.engagement.current(reportId);
      return {
        reference: params.reference,
        status: now!.status,
        wantsSupportToContinue: now!.wantsSupport === null ? null : now!.wantsSupport === 'yes',
        on: now!.on,
      };
    },
  });
}
