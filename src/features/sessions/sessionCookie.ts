import type { FastifyReply } from 'fastify';
import type { SessionStore } from './sessionStore.ts';

/** What the cookie helpers need of the services (the composition root's services satisfy it). */
export interface SessionCookieServices {
  cookies: { session: string };
  config: { secureCookies: boolean };
  sessions: Pick<SessionStore, 'create' | 'destroy'>;
}

/** The staff session cookie: HttpOnly, SameSite=Strict, Secure and __Host- prefixed over https. */
export function setSessionCookie(services: SessionCookieServices, reply: FastifyReply, value: string): void {
  reply.setCookie(services.cookies.session, value, cookieOptions(services));
}

export function clearSessionCookie(services: SessionCookieServices, reply: FastifyReply): void {
  reply.clearCookie(services.cookies.session, cookieOptions(services));
}

function cookieOptions(services: SessionCookieServices) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: services.config.secureCookies };
}

/** Starts a fresh session (a new id every time: no fixation) and a fresh CSRF secret. */
export async function startSession(
  services: SessionCookieServices,
  reply: FastifyReply,
  userId: string,
  stage: 'enrol' | 'mfa' | 'active',
): Promise<void> {
  const previous = reply.request.principal;
  if (previous.kind === 'staff' || previous.kind === 'signing-in')
    await services.sessions.destroy(previous.sessionIdHash);
  setSessionCookie(services, reply, await services.sessions.create(userId, stage));
  reply.rotateCsrf();
}
