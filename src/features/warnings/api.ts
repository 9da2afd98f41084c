import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { callerToken } from '../../platform/http/api/callerToken.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import { CASE_WORKERS_API } from '../../platform/http/caseAccess.ts';
import { INCIDENT_TYPES, type IncidentType } from '../vocabulary/index.ts';
import { warningDraftSchema, withdrawSchema } from './warningSchema.ts';
import { WarningError } from './warningService.ts';

const idParams = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'A warning id is a UUID'),
});
const list = (max: number, item: z.ZodString) => z.array(item).max(max).default([]);

/** The API body: the editor's fields, with the perpetrator's identifiers grouped. */
const draftBody = z.object({
  reports: z.array(z.string()).min(1, 'Give the reference of at least one report').max(10),
  title: z.string(),
  body: z.string(),
  type: z.enum(Object.keys(INCIDENT_TYPES) as [IncidentType], {
    message: `type must be one of ${Object.keys(INCIDENT_TYPES).join(', ')}`,
  }),
  area: z.string().max(120).nullable().optional(),
  perpetrator: z
    .object({
      phones: list(10, z.string().max(40)),
      vehicle: z
        .object({
          registration: z.string().max(20).optional(),
          registrations: list(10, z.string().max(20)),
          details: z.string().max(200).optional(),
        })
        .optional(),
      handles: list(10, z.string().max(200)),
      description: z.string().max(2000).optional(),
    })
    .default({ phones: [], handles: [] }),
});

const actorOfToken = (principal: Parameters<typeof callerToken>[0]): Actor => {
  const caller = callerToken(principal);
  return { kind: 'token', id: caller.tokenId, orgId: caller.orgId };
};

function apiError(error: unknown): never {
  if (!(error instanceof WarningError)) throw error;
  if (error.code === 'not_found' || error.code === 'unknown-report')
    throw new HttpError(404, 'not_found', error.message);
  if (error.code === 'invalid')
    throw new HttpError(400, 'invalid_request', `body.${error.field ?? 'area'}: ${error.message}`);
  // same-author, not-draft, not-active, no-consent: the warning's state refuses the action.
  throw new HttpError(409, error.code, error.message);
}

/** Drafting, approving (by a different token or user) and withdrawing warnings. Members' reading and the check are in features/members. */
export function defineWarningsApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'POST',
    path: '/api/v1/warnings',
    summary:
      'Draft a warning from one or more reports; it is published only when a different token or member of staff approves it',
    tag: 'Warnings',
    access: CASE_WORKERS_API,
    body: draftBody,
    response: z.object({ id: z.string(), status: z.literal('draft') }),
    successStatus: 201,
    async handler({ body, request }) {
      const vehicle = body.perpetrator.vehicle;
      const parsed = warningDraftSchema.safeParse({
        reports: body.reports,
        title: body.title,
        body: body.body,
        type: body.type,
        area: body.area ?? null,
        phones: body.perpetrator.phones,
        registrations: [...(vehicle?.registration ? [vehicle.registration] : []), ...(vehicle?.registrations ?? [])],
        handles: body.perpetrator.handles,
        vehicle: vehicle?.details ?? '',
        description: body.perpetrator.description ?? '',
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where: Record<string, string> = {
          phones: 'perpetrator.phones',
          registrations: 'perpetrator.vehicle.registration',
          handles: 'perpetrator.handles',
          vehicle: 'perpetrator.vehicle.details',
          description: 'perpetrator.description',
        };
        const field = String(issue.path[0] ?? '');
        throw new HttpError(400, 'invalid_request', `body.${where[field] ?? field}: ${issue.message}`);
      }
      try {
        return {
          id: await services.warnings.draft(actorOfToken(request.principal), parsed.data),
          status: 'draft' as const,
        };
      } catch (error) {
        apiError(error);
      }
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/warnings/:id/approve',
    summary: 'Approve and publish a draft. Refused with 409 same-author when the caller drafted it (four eyes)',
    tag: 'Warnings',
    access: CASE_WORKERS_API,
    params: idParams,
    response: z.object({
      id: z.string(),
      status: z.literal('published'),
      publishedAt: z.string(),
      expiresAt: z.string(),
    }),
    async handler({ params, request }) {
      try {
        const published = await services.warnings.approve(actorOfToken(request.principal), params.id);
        return {
          id: published.id,
          status: 'published' as const,
          publishedAt: published.publishedAt,
          expiresAt: published.expiresAt,
        };
      } catch (error) {
        apiError(error);
      }
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/warnings/:id/withdraw',
    summary: 'Withdraw a draft or published warning, with a reason; it stops being shown and matched at once',
    tag: 'Warnings',
    access: CASE_WORKERS_API,
    params: idParams,
    body: withdrawSchema,
    response: z.object({ id: z.string(), status: z.literal('withdrawn') }),
    async handler({ params, body, request }) {
      try {
        await services.warnings.withdraw(actorOfToken(request.principal), params.id, body.reason);
        return { id: params.id, status: 'withdrawn' as const };
      } catch (error) {
        apiError(error);
      }
    },
  });
}
