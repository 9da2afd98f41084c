import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControl } from './access.ts';
import * as rules from './caseAccess.ts';
import { POLICE_ROLES, SUPPORT_ROLES, type OrgKind, type Principal, type Role } from './principal.ts';

/**
 * Who may call casework, referral, member and police-case routes: every rule tried with every role
 * of both kinds of organisation, as a session and as a token. Everyone not listed gets 404, never
 * 403, so not even the existence of a case is revealed. The lists are written out here on purpose,
 * apart from the rules, so a change to a rule has to be made twice.
 */
type Caller = `${OrgKind} ${Role}`;
const EXPECTED: Record<keyof typeof rules, { via: 'session' | 'token'; admits: Caller[]; byRoleOnly?: true }> = {
  CASE_WORKERS: { via: 'session', admits: ['support caseworker', 'support liaison'] },
  CASE_WORKERS_API: { via: 'token', admits: ['support caseworker', 'support liaison'] },
  REACH_ME: { via: 'session', admits: ['support outreach', 'support caseworker', 'support liaison'] },
  REACH_ME_API: { via: 'token', admits: ['support outreach', 'support caseworker', 'support liaison'] },
  WARNING_READERS: {
    via: 'session',
    admits: ['support outreach', 'support caseworker', 'support liaison', 'support admin'],
  },
  POLICE_REFERRAL_READERS: { via: 'session', admits: ['police officer', 'police supervisor'] },
  POLICE_SUPERVISORS: { via: 'session', admits: ['police supervisor'] },
  POLICE_SUPERVISORS_API: { via: 'token', admits: ['police supervisor'] },
  MEMBER_ISSUERS: { via: 'session', admits: ['support outreach', 'support caseworker', 'support liaison'] },
  // These two name no organisation kind (each role exists in one kind only); the service scopes each case.
  POLICE_CASE_API: { via: 'token', admits: ['police supervisor', 'support liaison'], byRoleOnly: true },
  LIAISON_CASE_API: { via: 'token', admits: ['support liaison'] },
  APPOINTMENTS_API: {
    via: 'token',
    admits: ['police supervisor', 'support liaison', 'support caseworker'],
    byRoleOnly: true,
  },
};

const ROLES: Record<OrgKind, readonly Role[]> = { support: SUPPORT_ROLES, police: POLICE_ROLES };
const REAL_CALLERS: [OrgKind, Role][] = (['support', 'police'] as const).flatMap((kind) =>
  ROLES[kind].map((role) => [kind, role] as [OrgKind, Role]),
);
// Role names are shared across kinds (admin, analyst) and a token carries both, so a rule that names
// an organisation kind is also tried with every role name under the other kind: it must hold the kind,
// not lean on role names.
const EVERY_CALLER: [OrgKind, Role][] = (['support', 'police'] as const).flatMap((kind) =>
  [...new Set([...SUPPORT_ROLES, ...POLICE_ROLES])].map((role) => [kind, role] as [OrgKind, Role]),
);

function principal(via: 'session' | 'token', orgKind: OrgKind, role: Role): Principal {
  if (via === 'token') return { kind: 'api', tokenId: 't', orgId: 'o', orgKind, role };
  return {
    kind: 'staff',
    staff: { userId: 'u', orgId: 'o', orgKind, orgSlug: 'o', orgName: 'O', role, caseworkRole: null },
    sessionIdHash: 's',
    stepUpAt: null,
  };
}

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(accessControl, {
    authenticator: {
      async fromSessionCookie(request) {
        const [kind, role] = String(request.headers['x-caller']).split(' ') as [OrgKind, Role];
        return principal('session', kind, role);
      },
      async fromBearerToken(token) {
        const [kind, role] = token.split('.') as [OrgKind, Role];
        return principal('token', kind, role);
      },
    },
  });
  for (const name of Object.keys(rules))
    app.get(`/${name}`, { config: { access: rules[name as keyof typeof rules] } }, async () => 'in');
  await app.ready();
});
afterAll(() => app.close());

describe('the casework access rules', () => {
  it('name every rule tested here', () => {
    expect(Object.keys(rules).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))(
    '%s admits only its callers and answers everyone else 404',
    async (name, { via, admits, byRoleOnly }) => {
      const seen: string[] = [];
      for (const [kind, role] of byRoleOnly ? REAL_CALLERS : EVERY_CALLER) {
        const res = await app.inject({
          url: `/${name}`,
          headers: via === 'token' ? { authorization: `Bearer ${kind}.${role}` } : { 'x-caller': `${kind} ${role}` },
        });
        if (res.statusCode === 200) seen.push(`${kind} ${role}`);
        else expect(res.statusCode, `${kind} ${role}`).toBe(404);
      }
      expect(seen.sort()).toEqual([...admits].sort());
      // Only real roles of each kind are ever admitted.
      for (const caller of admits) {
        const [kind, role] = caller.split(' ') as [OrgKind, Role];
        expect(ROLES[kind]).toContain(role);
      }
    },
  );

  it('keeps a session out of token rules and a token out of session rules', async () => {
    const session = await app.inject({ url: '/LIAISON_CASE_API', headers: { 'x-caller': 'support liaison' } });
    expect(session.statusCode).toBe(401);
    const token = await app.inject({ url: '/CASE_WORKERS', headers: { authorization: 'Bearer support.caseworker' } });
    expect(token.statusCode).toBe(404);
  });
});
