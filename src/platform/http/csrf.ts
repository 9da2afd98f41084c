import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { constantTimeEqual, hmac, randomToken } from '../crypto/index.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token to put in a form's hidden `_csrf` field (issues the cookie if needed). */
    csrfToken(reply: FastifyReply): string;
  }
  interface FastifyReply {
    /** A new CSRF secret, e.g. on sign-in, so tokens from before do not carry over. */
    rotateCsrf(): void;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Synchroniser tokens for every state-changing form, signed-in or not: a
 * random secret in an essential, HttpOnly, SameSite=Strict cookie and, in the
 * form, an HMAC of it. Stops cross-site form posts. API requests use bearer
 * tokens, which a browser never sends by itself, so they are not checked.
 */
export const csrfProtection = fp(async function csrfProtection(
  app: FastifyInstance,
  opts: { key: Buffer; cookieName: string; secure: boolean },
) {
  const tokenFor = (secret: string) => hmac(opts.key, secret);
  const setCookie = (reply: FastifyReply, secret: string) =>
    reply.setCookie(opts.cookieName, secret, { path: '/', httpOnly: true, secure: opts.secure, sameSite: 'strict' });

  app.decorateRequest('csrfToken', function csrfToken(this: FastifyRequest, reply: FastifyReply) {
    let secret = this.cookies[opts.cookieName];
    if (!secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) {
      secret = randomToken();
      this.cookies[opts.cookieName] = secret;
      setCookie(reply, secret);
    }
    return tokenFor(secret);
  });

  app.decorateReply('rotateCsrf', function rotateCsrf(this: FastifyReply) {
    const secret = randomToken();
    this.request.cookies[opts.cookieName] = secret;
    setCookie(this, secret);
  });

  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || request.is404) return;
    // The JSON API takes only application/json bodies (see apiRegistry.ts), which a
    // cross-site form cannot send without a CORS preflight we never grant.
    if (request.routeOptions.url?.startsWith('/api/')) return;
    const secret = request.cookies[opts.cookieName];
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!secret || typeof sent !== 'string' || !constantTimeEqual(sent, tokenFor(secret))) {
      throw new HttpError(403, 'csrf', 'This form has expired. Go back, reload the page and try again.');
    }
  });
});
