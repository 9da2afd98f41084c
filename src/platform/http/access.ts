import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal, Role, OrgKind, StaffIdentity } from './principal.ts';
import { HttpError } from './errors.ts';

/** Looks up who is calling; implemented by the accounts feature. */
export interface Authenticator {
  fromSessionCookie(request: FastifyRequest, reply: FastifyReply): Promise<Principal>;
  fromBearerToken(token: string): Promise<Principal>;
  /** A member by their code (features/members); without it, `member-or-api` admits tokens only. */
  fromMemberCode?(code: string, address: string): Promise<Principal>;
}

const ANONYMOUS: Principal = { kind: 'anonymous' };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route, as "METHOD /url", that declared no access rule (and so refuses everybody). */
    undeclaredRoutes(): string[];
    /** Every registered route as "METHOD /url" with the rule it declared. */
    registeredRoutes(): { route: string; access: string }[];
  }
}

/**
 * Deny by default: every route must declare who may call it. A route that
 * forgets is still registered (plugins register routes of their own) but
 * refuses every request, and `app.undeclaredRoutes()` names it.
 */
export const accessControl = fp(async function accessControl(
  app: FastifyInstance,
  opts: { authenticator: Authenticator; metricsGate?: (request: FastifyRequest) => boolean },
) {
  app.decorateRequest('principal', undefined as never);
  const routes: RouteOptions[] = [];
  // Later hooks (in child contexts) may still fill in config.access, so the
  // route is only judged when asked, not when registered.
  app.addHook('onRoute', (route: RouteOptions) => {
    routes.push(route);
  });
  app.decorate('registeredRoutes', () =>
    routes.map((route) => ({
      route: `${String(route.method)} ${route.url}`,
      access: route.config?.access?.kind ?? 'nobody',
    })),
  );
  app.decorate('undeclaredRoutes', () =>
    routes.filter((route) => !route.config?.access).map((route) => `${String(route.method)} ${route.url}`),
  );

  app.addHook('onRequest', async (request, reply) => {
    request.principal = ANONYMOUS;
    // Unmatched URLs are answered by the not-found handler.
    if (request.is404) return;
    const rule = request.routeOptions.config.access ?? { kind: 'nobody' };
    if (rule.kind === 'nobody') throw new HttpError(403, 'forbidden', 'This page is not available.');
    if (rule.kind === 'public') return;
    if (rule.kind === 'metrics') {
      // Not found rather than forbidden: whether monitoring is on is nobody else's business.
      if (opts.metricsGate?.(request)) return;
      throw notFound();
    }
    if (rule.kind === 'member-or-api') {
      const member = /^Member ([\d .-]{16,40})$/.exec(request.headers.authorization ?? '');
      if (member?.[1]) {
        const principal = opts.authenticator.fromMemberCode
          ? await opts.authenticator.fromMemberCode(member[1], request.ip)
          : ANONYMOUS;
        if (principal.kind !== 'member')
          throw new HttpError(401, 'unauthenticated', 'A valid member code or bearer token is required.');
        request.principal = principal;
        return;
      }
    }
    if (rule.kind === 'api' || rule.kind === 'member-or-api') {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer ([A-Za-z0-9_\-.~]+)$/.exec(header);
      const principal = match?.[1] ? await opts.authenticator.fromBearerToken(match[1]) : ANONYMOUS;
      if (principal.kind !== 'api') throw new HttpError(401, 'unauthenticated', 'A valid bearer token is required.');
      if (!allowed(rule.roles, rule.orgKind, principal.role, principal.orgKind)) {
        if (rule.conceal) throw notFound();
        throw new HttpError(403, 'forbidden', 'This token may not use this endpoint.');
      }
      request.principal = principal;
      return;
    }
    const principal = await opts.authenticator.fromSessionCookie(request, reply);
    request.principal = principal;
    if (rule.kind === 'signing-in') {
      if (principal.kind === 'signing-in' && principal.stage === rule.stage) return;
      return reply.redirect('/sign-in', 303);
    }
    if (principal.kind !== 'staff') return reply.redirect('/sign-in', 303);
    const roles = principal.staff.caseworkRole
      ? [principal.staff.role, principal.staff.caseworkRole]
      : [principal.staff.role];
    if (!roles.some((role) => allowed(rule.roles, rule.orgKind, role, principal.staff.orgKind))) {
      if (rule.conceal) throw notFound();
      throw new HttpError(403, 'forbidden', 'You do not have permission to see this page.');
    }
  });
});

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'If you typed the web address, check it is correct.');
}

function allowed(roles: readonly Role[] | undefined, orgKind: OrgKind | undefined, role: Role, kind: OrgKind): boolean {
  if (orgKind && orgKind !== kind) return false;
  return !roles || roles.includes(role);
}

/**
 * The member of staff behind a request to a `{ kind: 'staff' }` route. The
 * access layer has already refused anyone else; this only tells TypeScript.
 */
export function staffOf(request: FastifyRequest): StaffIdentity {
  if (request.principal.kind !== 'staff') throw new HttpError(403, 'forbidden', 'Sign in first.');
  return request.principal.staff;
}
