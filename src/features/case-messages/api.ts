import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { POLICE_CASE_API, POLICE_SUPERVISORS_API } from '../../platform/http/caseAccess.ts';
import { PoliceCaseError } from '../police-cases/index.ts';
import { rethrowAsHttp } from '../../platform/http/domainErrors.ts';

const caseParams = z.object({ caseId: z.string().min(1).max(64) });

const asHttp = (error: unknown): never => rethrowAsHttp(error, PoliceCaseError);

/** Liaison–officer messages and "request contact with the victim" in the API. */
export function defineCaseMessagesApi(api: ApiRegistry, services: Services): void {
  const { caseMessages, contactRequests } = services;

  api.define({
    method: 'GET',
    path: '/api/v1/cases/:caseId/messages',
    summary:
      'Messages between the liaison officer and the police in a case, oldest first (never shown to the person reporting); the read is audited',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    params: caseParams,
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          side: z.enum(['police', 'support']),
          from: z.string(),
          body: z.string(),
          createdAt: z.string(),
        }),
      ),
    }),
    async handler({ params, request }) {
      const items = await caseMessages.list(params.caseId, actorOf(request)).catch(asHttp);
      return {
        items: items.map((m) => ({ id: m.id, side: m.side, from: m.from, body: m.body, createdAt: m.createdAt })),
      };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/cases/:caseId/messages',
    summary: 'Send a message to the other side of the case (the liaison officer or the police)',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    params: caseParams,
    body: z.object({ body: z.string().min(1).max(5000) }),
    response: z.object({ id: z.string(), createdAt: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      return caseMessages.send(params.caseId, actorOf(request), body.body).catch(asHttp);
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/cases/:caseId/contact-requests',
    summary:
      'The police ask for contact with the victim: the request goes to the support organisation, which arranges it (the police are not told whether or how the person was found)',
    tag: 'Police cases',
    // Police only: tokens are not people, so supervisor tokens (as for the rest of the police API).
    access: POLICE_SUPERVISORS_API,
    params: caseParams,
    body: z.object({ reason: z.string().max(2000).optional() }),
    response: z.object({ id: z.string(), requestedAt: z.string(), status: z.literal('with-support-organisation') }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const r = await contactRequests.request(params.caseId, actorOf(request), body).catch(asHttp);
      return { ...r, status: 'with-support-organisation' as const };
    },
  });
}
