import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../platform/http/errors.ts';

/** How long a re-entered code covers sensitive actions. */
export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/** Only same-site paths: an open redirect would let a phishing link bounce through us. */
export function safeNextPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/staff';
}

/** Where a refused form post sends the person back to after confirming: by default the page the form is on. */
function pageOfForm(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/staff';
  return path.replace(/\/[^/]*$/, '') || '/staff';
}

export function confirmUrl(next: string): string {
  return `/account/confirm?next=${encodeURIComponent(safeNextPath(next))}`;
}

/**
 * preHandler for sensitive actions (role changes, two-factor resets, exports,
 * key rotation): the person must have re-entered a security code in the last
 * five minutes. Pages are sent to /account/confirm and come back; a form post
 * without a recent code is refused (nothing changes) with a page that links to
 * the confirmation and back to the form. `returnTo` names that form's page when
 * it is not the post's path minus its last segment.
 */
export function requireStepUp(now: () => Date, options: { returnTo?: (request: FastifyRequest) => string } = {}) {
  return async function stepUp(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    if (principal.kind !== 'staff') throw new HttpError(403, 'forbidden', 'Sign in first.');
    const fresh = principal.stepUpAt !== null && now().getTime() - Date.parse(principal.stepUpAt) < STEP_UP_WINDOW_MS;
    if (fresh) return;
    if (request.method === 'GET') return reply.redirect(confirmUrl(request.url), 303);
    const next = safeNextPath((options.returnTo ?? pageOfForm)(request));
    return reply.code(403).render('sign-in/views/step-up-needed.njk', {
      pageTitle: 'Confirm it is you first',
      confirmHref: confirmUrl(next),
    });
  };
}
