import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../platform/http/errors.ts';

/** How long a re-entered code covers sensitive actions. */
export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/** Only same-site paths: an open redirect would let a phishing link bounce through us. */
export function safeNextPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/staff';
}

/**
 * preHandler for sensitive actions (role changes, two-factor resets, exports,
 * key rotation): the person must have re-entered a security code in the last
 * five minutes. Pages are sent to /account/confirm and come back; a form post
 * without a recent code is refused with a way to confirm.
 */
export function requireStepUp(now: () => Date) {
  return async function stepUp(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    if (principal.kind !== 'staff') throw new HttpError(403, 'forbidden', 'Sign in first.');
    const fresh = principal.stepUpAt !== null && now().getTime() - Date.parse(principal.stepUpAt) < STEP_UP_WINDOW_MS;
    if (fresh) return;
    if (request.method === 'GET') return reply.redirect(`/account/confirm?next=${encodeURIComponent(request.url)}`, 303);
    throw new HttpError(403, 'step_up_required', 'For your safety, confirm your security code first, then try again.');
  };
}
