import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { ApiTokenError } from './apiTokenService.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { callerToken } from '../../platform/http/api/callerToken.ts';

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe('Recorded at most once a minute'),
  revokedAt: z.string().nullable(),
});

/**
 * Administrators see and revoke their own organisation's tokens. Tokens are
 * created only with `liaison token create`, by whoever runs the service, so a
 * leaked token can never mint more.
 */
export function defineTokenApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/tokens',
    summary: "The organisation's API tokens, revoked ones included (never the tokens themselves)",
    tag: 'Administration',
    access: { kind: 'api', roles: ['admin'] },
    response: z.object({ items: z.array(tokenSchema) }),
    async handler({ request }) {
      return { items: await services.apiTokens.list(callerToken(request.principal).orgId) };
    },
  });

  api.define({
    method: 'DELETE',
    path: '/api/v1/tokens/:id',
    summary: 'Revoke one of the organisation’s tokens; it stops working at once',
    tag: 'Administration',
    access: { kind: 'api', roles: ['admin'] },
    params: z.object({ id: z.uuid({ message: 'Token id must be a UUID' }) }),
    response: z.object({ id: z.string(), revoked: z.literal(true) }),
    async handler({ params, request }) {
      const caller = callerToken(request.principal);
      try {
        await services.apiTokens.revoke(params.id, { kind: 'api-token', id: caller.tokenId }, caller.orgId);
      } catch (error) {
        if (error instanceof ApiTokenError)
          throw new HttpError(404, 'not_found', 'No active token with that id in your organisation.');
        throw error;
      }
      return { id: params.id, revoked: true as const };
    },
  });
}
