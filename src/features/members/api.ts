import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { textField } from '../../platform/validation/text.ts';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { readIdentifier, type CheckIdentifier } from '../identifiers/index.ts';
import { warningsOf } from './warningsAccess.ts';

/** Members (Authorization: Member <code>) or tokens of support staff who meet people. */
export const WARNING_READERS_OR_MEMBERS = {
  kind: 'member-or-api',
  roles: ['outreach', 'caseworker', 'liaison', 'admin'],
  orgKind: 'support',
  conceal: true,
} as const;

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
  area: textField('The area', 80).min(1, 'Give an area, or leave it out').optional(),
  type: textField('The type', 60).min(1, 'Give a type, or leave it out').optional(),
});

const checkValue = z.string().trim().min(1, 'must not be empty').max(40, 'must be 40 characters or fewer');
const checkSchema = z
  .object({
    q: checkValue
      .optional()
      .describe('A phone number or a registration (? for each unknown character); which one is recognised by itself'),
    phone: checkValue.optional().describe('A phone number, in any usual format'),
    registration: checkValue.optional().describe('A registration, possibly partial: KX?? ?BC'),
  })
  .refine((q) => [q.q, q.phone, q.registration].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of q, phone or registration',
    path: ['q'],
  });

/**
 * What to check, read from the one query parameter given. Anything that
 * cannot be read is a 400, never an empty list of matches (which would read
 * as "not in any warning").
 */
function identifierIn(query: z.infer<typeof checkSchema>): CheckIdentifier {
  const field = query.q !== undefined ? 'q' : query.phone !== undefined ? 'phone' : 'registration';
  const read = readIdentifier(query[field] ?? '', field === 'q' ? undefined : field);
  const wanted = field === 'q' ? ['phone', 'registration'] : [field];
  if (read.kind === 'ambiguous')
    throw new HttpError(
      400,
      'invalid_request',
      'query.q: this could be a phone number or a registration: give it as phone or registration instead',
    );
  if (!wanted.includes(read.kind)) {
    const what =
      field === 'q' ? 'a phone number or a registration' : field === 'phone' ? 'a phone number' : 'a registration';
    throw new HttpError(400, 'invalid_request', `query.${field}: we could not read that as ${what}`);
  }
  return read as CheckIdentifier;
}

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
    summary:
      "The organisation's published, active warnings, newest first (Authorization: Member <code>, or a staff token)",
    tag: 'Warnings',
    access: WARNING_READERS_OR_MEMBERS,
    query: filterSchema,
    response: z.object({ warnings: z.array(warningSchema) }),
    async handler({ query, request }) {
      const { orgId } = callerOf(request);
      const warnings = await warningsOf(services).published(orgId, {
        ...(query.area ? { area: query.area } : {}),
        ...(query.type ? { type: query.type } : {}),
      });
      return { warnings };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/warnings/check',
    summary:
      'Does a phone number or vehicle registration (whole or partial) appear in an active warning? Give q (recognised by itself), phone or registration. Rate-limited.',
    tag: 'Warnings',
    access: WARNING_READERS_OR_MEMBERS,
    query: checkSchema,
    response: z.object({ matches: z.array(z.object({ id: z.string(), title: z.string(), publishedAt: z.string() })) }),
    async handler({ query, request }) {
      const { orgId, caller } = callerOf(request);
      if (!(await services.members.allowCheck(caller, request.ip))) {
        throw new HttpError(429, 'rate_limited', 'Too many checks. Wait ten minutes and try again.');
      }
      const identifier = identifierIn(query);
      const matches = await warningsOf(services).check(orgId, identifier);
      return { matches: matches.map(({ id, title, publishedAt }) => ({ id, title, publishedAt })) };
    },
  });
}
