import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { Principal } from '../../platform/http/principal.ts';
import type { ApiRegistry } from './apiRegistry.ts';

const organisationSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.enum(['support', 'police']) });

function tokenOf(principal: Principal) {
  if (principal.kind !== 'api') throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
  return principal;
}

/** The platform's own API operations, and the OpenAPI document describing every operation. */
export function defineFoundationApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/me',
    summary: 'The organisation and role this token acts for',
    tag: 'Platform',
    access: { kind: 'api' },
    response: z.object({ organisation: organisationSchema, role: z.string(), tokenName: z.string() }),
    async handler({ request }) {
      const token = await services.apiTokens.describe(tokenOf(request.principal).tokenId);
      return { organisation: { id: token.orgId, slug: token.slug, name: token.orgName, kind: token.kind }, role: token.role, tokenName: token.name };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/staff',
    summary: "The organisation's staff accounts (no contact details)",
    tag: 'Administration',
    access: { kind: 'api', roles: ['admin'] },
    query: z.object({ role: z.string().max(20).optional() }),
    response: z.object({ items: z.array(z.object({ id: z.string(), role: z.string(), twoFactor: z.boolean(), disabled: z.boolean(), lastSignInAt: z.string().nullable() })) }),
    async handler({ query, request }) {
      const token = tokenOf(request.principal);
      const rows = await services.staffAdmin.listForOrganisation(token.orgId);
      return { items: rows.filter((row) => !query.role || row.role === query.role) };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/audit/verify',
    summary: "Checks the audit trail's hash chain",
    tag: 'Administration',
    access: { kind: 'api', roles: ['admin'] },
    response: z.object({ ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().optional(), reason: z.string().optional() }),
    async handler({ request }) {
      const token = tokenOf(request.principal);
      const result = await services.audit.verify();
      await services.audit.record({ actorKind: 'api-token', actorId: token.tokenId, orgId: token.orgId, action: 'audit.verified', detail: { ok: result.ok } });
      return result;
    },
  });
}

export async function apiRoutes(app: FastifyInstance, { api }: { api: ApiRegistry }) {
  api.register(app);
  app.get('/api/v1/openapi.json', { config: { access: { kind: 'public' } } }, async () =>
    api.openApiDocument({ title: 'Liaison API', version: '1' }),
  );
}
