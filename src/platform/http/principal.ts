export const SUPPORT_ROLES = ['admin', 'caseworker', 'liaison', 'outreach', 'analyst'] as const;
export const POLICE_ROLES = ['admin', 'officer', 'supervisor', 'analyst'] as const;
export type SupportRole = (typeof SUPPORT_ROLES)[number];
export type PoliceRole = (typeof POLICE_ROLES)[number];
export type Role = SupportRole | PoliceRole;
export type OrgKind = 'support' | 'police';

export function rolesFor(kind: OrgKind): readonly Role[] {
  return kind === 'support' ? SUPPORT_ROLES : POLICE_ROLES;
}

export interface StaffIdentity {
  userId: string;
  orgId: string;
  orgKind: OrgKind;
  orgSlug: string;
  orgName: string;
  role: Role;
  /** An administrator who also works cases holds this role as well. */
  caseworkRole?: Role | null;
}

/** Who is making a request, as established by the access layer. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'staff'; staff: StaffIdentity; sessionIdHash: string; stepUpAt: string | null }
  | { kind: 'signing-in'; userId: string; stage: 'mfa' | 'enrol'; sessionIdHash: string }
  | { kind: 'api'; tokenId: string; orgId: string; orgKind: OrgKind; role: Role }
  /** A member of a support organisation, by `Authorization: Member <16-digit code>` (API only). */
  | { kind: 'member'; memberId: string; orgId: string };

/**
 * Every route declares one of these in `config.access`. A route without one is
 * refused for everybody (deny by default) — see access.ts.
 */
export type AccessRule =
  /** Anyone, including people reporting: public pages, assets, health checks. */
  | { kind: 'public' }
  /**
   * Signed-in staff, optionally only some roles or one kind of organisation.
   * `conceal` answers everyone else 404 rather than 403, so that whether a
   * case, person or warning exists is not revealed to them.
   */
  | { kind: 'staff'; roles?: readonly Role[]; orgKind?: OrgKind; conceal?: boolean }
  /** Part-way through sign-in: password accepted, two-factor code or enrolment still due. */
  | { kind: 'signing-in'; stage: 'mfa' | 'enrol' }
  /** API clients with a bearer token. */
  | { kind: 'api'; roles?: readonly Role[]; orgKind?: OrgKind; conceal?: boolean }
  /**
   * API operations members may call too: `Authorization: Member <code>`, or a
   * bearer token that the roles and organisation kind admit (as for `api`).
   */
  | { kind: 'member-or-api'; roles?: readonly Role[]; orgKind?: OrgKind; conceal?: boolean }
  /**
   * Monitoring (/metrics): callers from the configured addresses or with the
   * metrics token (METRICS_ALLOW, METRICS_TOKEN); everyone else gets 404.
   */
  | { kind: 'metrics' }
  /** What a route that declared nothing gets: refused for everybody. */
  | { kind: 'nobody' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    principal: Principal;
    cspNonce: string;
  }
}
