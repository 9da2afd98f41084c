import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../api/apiRegistry.ts';
import { warningsOf } from './warningsAccess.ts';

/** Members (Authorization: Member <code>) or tokens of support staff who meet people. */
export const WARNING_READERS_OR_MEMBERS = { kind: 'member-or-api', roles: ['outreach', 'caseworker', 'liaison', 'admin'], orgKind: 'support', conceal: true } as const;

const warningSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  area: z.string().nullable(),
  type: z.string(),
  publishedAt: z.string(),
  expiresAt: z.string(),
});

const filterSchema = z.object({
  area: z.string().trim().min(1).max(80).optional(),
  type: z.string().trim().min(1).max(60).optional(),
});

const checkSchema = z
  .object({
    phone: z.string().trim().min(3, 'give at least 3 characters').max(40, 'must be 40 characters or fewer').optional(),
    registration: z.string().trim().min(2, 'give at least 2 characters').max(20, 'must be 20 characters or fewer').optional(),
  })
  .refine((q) => (q.phone === undefined) !== (q.registration === undefined), { message: 'give either phone or registration', path: ['phone'] });

/** The organisation and throttle key of the caller (a member or a token); the access layer admitted them. */
function callerOf(request: FastifyRequest): { orgId: string; caller: string } {
  const p = request.principal;
  if (p.kind === 'member') return { orgId: p.orgId, caller: `member:${p.memberId}` };
  if (p.kind === 'api') return { orgId: p.orgId, caller: `token:${p.tokenId}` };
  throw new HttpError(401, 'unauthenticated', 'A valid member code or bearer token is required.');
}

/** Published warnings and the number/vehicle check, for members and support staff. */
export function defineMembersApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/warnings',
    summary: "The organisation's published, active warnings, newest first (Authorization: Member <code>, or a staff token)",
    tag: 'Warnings',
    access: WARNING_READERS_OR_MEMBERS,
    query: filterSchema,
    response: z.object({ warnings: z.array(warningSchema) }),
    async handler({ query, request }) {
      const { orgId } = callerOf(request);
      const warnings = await warningsOf(services).published(orgId, { ...(query.area ? { area: query.area } : {}), ...(query.type ? { type: query.type } : {}) });
      return { warnings };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/warnings/check',
    summary: 'Does a phone number or vehicle registration appear in an active warning? Rate-limited.',
    tag: 'Warnings',
    access: WARNING_READERS_OR_MEMBERS,
    query: checkSchema,
    response: z.object({ matches: z.array(z.object({ id: z.string(), title: z.string(), publishedAt: z.string() })) }),
    async handler({ query, request }) {
      const { orgId, caller } = callerOf(request);
      if (!(await services.members.allowCheck(caller, request.ip))) {
        throw new HttpError(429, 'rate_limited', 'Too many checks. Wait ten minutes and try again.');
      }
      const matches = await warningsOf(services).check(orgId, query.phone !== undefined ? { phone: query.phone } : { registration: query.registration! });
      return { matches: matches.map(({ id, title, publishedAt }) => ({ id, title, publishedAt })) };
    },
  });
}
