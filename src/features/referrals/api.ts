import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { callerToken } from '../../platform/http/api/callerToken.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS_API, POLICE_SUPERVISORS_API } from '../../platform/http/caseAccess.ts';
import { REFERRAL_LEVELS } from './referralContent.ts';
import { ReferralError, acceptSchema, declineSchema, type PoliceViewer } from './referralService.ts';
import { rethrowAsHttp } from '../../platform/http/domainErrors.ts';

const referenceParams = z.object({
  reference: z.string().regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'A reference looks like R-7XK2-Q9M4'),
});
const idParams = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, 'A referral id is a UUID') });
const statusSchema = z.enum(['new', 'accepted', 'declined']);
const perpetratorSchema = z.object({
  names: z.array(z.string()),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  handles: z.array(z.string()),
  vehicle: z.record(z.string(), z.string().optional()).optional(),
  appearance: z.record(z.string(), z.string().optional()).optional(),
  description: z.string().optional(),
});

const REFERRAL_REFUSALS = { 'consent-required': 409, 'consent-withdrawn': 409, 'already-decided': 409 } as const;
const asHttp = (error: unknown): never => rethrowAsHttp(error, ReferralError, REFERRAL_REFUSALS);

function viewerOf(request: FastifyRequest): PoliceViewer {
  return { ...actorOf(request), role: callerToken(request.principal).role };
}

/** Referrals in the API: the charity sends; a police supervisor token lists, reads, accepts and declines. */
export function defineReferralsApi(api: ApiRegistry, services: Services): void {
  const { referrals } = services;

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/referrals',
    summary:
      'Refer a report to a linked police force, at a level the person has consented to (409 consent-required otherwise)',
    tag: 'Referrals',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: z.object({
      force: z.string().trim().min(1).max(64),
      level: z.enum(REFERRAL_LEVELS),
      summary: z.string().trim().max(10_000).optional(),
    }),
    response: z.object({ id: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const actor = actorOf(request);
      const reportId = await referrals.reportIdOf(actor.orgId, params.reference);
      if (!reportId)
        throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
      const id = await referrals.send(actor, reportId, body).catch(asHttp);
      return { id };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/referrals',
    summary: "The force's referrals, newest first (supervisor token; the listing is audited)",
    tag: 'Referrals',
    access: POLICE_SUPERVISORS_API,
    query: z.object({ status: statusSchema.optional() }),
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          level: z.enum(REFERRAL_LEVELS),
          status: statusSchema,
          receivedAt: z.string(),
          crimeReference: z.string().nullable(),
        }),
      ),
    }),
    async handler({ query, request }) {
      return { items: await referrals.policeList(viewerOf(request), query.status) };
    },
  });

  const victimSchema = z.object({
    name: z.string().nullable(),
    language: z.string().nullable(),
    interpreterNeeded: z.boolean(),
    contact: z
      .array(
        z.object({
          kind: z.string(),
          value: z.string().nullable(),
          safeToLeaveMessage: z.boolean(),
          safeTimes: z.string().nullable(),
        }),
      )
      .nullable(),
  });

  api.define({
    method: 'GET',
    path: '/api/v1/referrals/:id',
    summary:
      'One referral as the force may see it now: consent is checked again, and no `victim` object is sent for intelligence or withdrawn consent (audited)',
    tag: 'Referrals',
    access: POLICE_SUPERVISORS_API,
    params: idParams,
    response: z.object({
      id: z.string(),
      level: z.enum(REFERRAL_LEVELS),
      status: statusSchema,
      receivedAt: z.string(),
      consent: z.object({ current: z.boolean(), withdrawnAt: z.string().nullable() }),
      content: z
        .object({
          summary: z.string(),
          incidentTypes: z.array(z.string()),
          area: z.string().nullable(),
          when: z.string().nullable(),
          account: z.string().optional(),
          placeDetails: z.string().nullable().optional(),
          perpetrator: perpetratorSchema.optional(),
        })
        .optional(),
      victim: victimSchema.optional(),
      caseId: z.string().nullable(),
      crimeReference: z.string().nullable(),
      officer: z.object({ email: z.string() }).nullable(),
      decidedAt: z.string().nullable(),
      declineReason: z.string().nullable(),
    }),
    async handler({ params, request }) {
      return referrals.policeView(viewerOf(request), params.id).catch(asHttp);
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/referrals/:id/accept',
    summary:
      'Accept a new referral: record the crime reference number and, optionally, the officer in the case (by email)',
    tag: 'Referrals',
    access: POLICE_SUPERVISORS_API,
    params: idParams,
    body: z.object({
      crimeReference: acceptSchema.shape.crimeReference,
      officer: z.string().trim().email().max(254).optional(),
    }),
    response: z.object({ caseId: z.string() }),
    async handler({ params, body, request }) {
      return { caseId: await referrals.accept(viewerOf(request), params.id, body).catch(asHttp) };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/referrals/:id/decline',
    summary: 'Decline a new referral with a reason (for example, kept as intelligence)',
    tag: 'Referrals',
    access: POLICE_SUPERVISORS_API,
    params: idParams,
    body: declineSchema,
    response: z.object({ declined: z.literal(true) }),
    async handler({ params, body, request }) {
      await referrals.decline(viewerOf(request), params.id, body.reason).catch(asHttp);
      return { declined: true as const };
    },
  });
}
