import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { POLICE_ROLES, SUPPORT_ROLES } from '../../platform/http/principal.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { ApiTokenError } from './apiTokenService.ts';
import { callerToken } from '../../platform/http/api/callerToken.ts';

const ALL_ROLES = [...new Set([...SUPPORT_ROLES, ...POLICE_ROLES])] as [string, ...string[]];
const organisationSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(['support', 'police']),
});

/** Who a token acts for, its organisation's staff, and the audit trail's integrity. */
export function definePlatformApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/me',
    summary: 'The organisation and role this token acts for',
    tag: 'Platform',
    access: { kind: 'api' },
    response: z.object({ organisation: organisationSchema, role: z.string(), tokenName: z.string() }),
    async handler({ request }) {
      const token = await services.apiTokens
        .describe(callerToken(request.principal).tokenId)
        .catch((error: unknown) => {
          // Removed between the access check and here: the same answer as any unknown token.
          if (error instanceof ApiTokenError)
            throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
          throw error;
        });
      return {
        organisation: { id: token.orgId, slug: token.slug, name: token.orgName, kind: token.kind },
        role: token.role,
        tokenName: token.name,
      };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/staff',
    summary: "The organisation's staff accounts (ids and roles; never names or contact details)",
    tag: 'Administration',
    access: { kind: 'api', roles: ['admin'] },
    query: z.object({
      role: z.enum(ALL_ROLES, { message: `Role must be one of: ${ALL_ROLES.join(', ')}` }).optional(),
    }),
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          role: z.string(),
          twoFactor: z.boolean(),
          disabled: z.boolean(),
          lastSignInAt: z.string().nullable(),
        }),
      ),
    }),
    async handler({ query, request }) {
      const rows = await services.staffAdmin.listForOrganisation(callerToken(request.principal).orgId);
      return { items: rows.filter((row) => !query.role || row.role === query.role) };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/audit/verify',
    summary: "Checks the whole audit trail's hash chain (as `liaison audit verify` does)",
    tag: 'Administration',
    // The trail spans every organisation, so, like the keys, it is the support organisation administrators' to check.
    access: { kind: 'api', roles: ['admin'], orgKind: 'support' },
    response: z.object({
      ok: z.boolean(),
      checked: z.number().int().describe('Entries checked and found intact'),
      firstBadSeq: z.number().int().optional().describe('Sequence number of the first altered, missing or moved entry'),
      reason: z.string().optional(),
    }),
    async handler({ request }) {
      const token = callerToken(request.principal);
      const result = await services.audit.verify();
      await services.audit.record({
        actorKind: 'api-token',
        actorId: token.tokenId,
        orgId: token.orgId,
        action: 'audit.verified',
        detail: { ok: result.ok },
      });
      return result;
    },
  });
}
