import crypto from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { HttpError } from './errors.ts';

/** Where a request with a malformed address (bad percent-encoding) is sent: see `rewriteMalformedUrl`. */
export const BAD_URL_PATH = '/_bad-address';
export const BAD_API_URL_PATH = '/api/_bad-address';

/**
 * Fastify answers a path it cannot decode (`/staff/reports/%ZZ`) with its own
 * bare JSON 400 that echoes the path and skips every hook, so no security
 * headers. Rewriting such a request to a route of ours sends it through the
 * normal hooks and error page instead.
 */
export function rewriteMalformedUrl(url: string): string {
  const pathPart = url.split('?', 1)[0] ?? '';
  try {
    decodeURIComponent(pathPart);
    return url;
  } catch {
    return pathPart.startsWith('/api/') ? BAD_API_URL_PATH : BAD_URL_PATH;
  }
}

const HEADINGS: Record<number, string> = {
  400: 'There is a problem with what was sent',
  403: 'You cannot do that',
  404: 'Page not found',
  413: 'What you sent is too large',
  429: 'Too many attempts',
  503: 'Sorry, there was a technical problem',
};

function isApi(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function isStaffArea(request: FastifyRequest): boolean {
  return request.principal?.kind === 'staff' || /^\/(staff|admin|sign-in|account|invitation|setup)\b/.test(request.url);
}

function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  reference?: string,
) {
  reply.code(status);
  if (isApi(request)) return reply.send({ error: { code, message, ...(reference ? { reference } : {}) } });
  const staff = isStaffArea(request);
  return reply.render('errors/problem.njk', {
    layout: staff ? 'layouts/staff.njk' : 'layouts/public.njk',
    pageTitle: HEADINGS[status] ?? 'Sorry, there was a technical problem',
    heading: HEADINGS[status] ?? 'Sorry, there was a technical problem',
    message,
    reference,
    homeHref: staff ? '/staff' : '/',
  });
}

/**
 * The one terminal error handler. People get a plain page (or a JSON error for
 * the API) with a reference number; the detail goes only to the log, keyed by
 * that reference. No stack trace ever reaches a browser.
 */
export function installErrorHandling(app: FastifyInstance, notFoundLimiter: { preHandler?: unknown } = {}) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      reply.headers(error.headers);
      return respond(request, reply, error.statusCode, error.code, error.message);
    }
    if (isDatabaseUnavailable(error)) {
      // The database dropped the connection, timed out or is restarting: the
      // transaction was rolled back, so nothing was saved and trying again is safe.
      const reference = crypto.randomBytes(4).toString('hex').toUpperCase();
      request.log.warn({ reference, cause: (error as { code?: string }).code ?? 'connection' }, 'database unavailable');
      reply.header('retry-after', '5');
      return respond(
        request,
        reply,
        503,
        'unavailable',
        'Sorry, there was a technical problem and nothing was saved. Please try again in a minute.',
        reference,
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return respond(request, reply, 429, 'rate_limited', 'Please wait a few minutes and try again.');
    if (status >= 400 && status < 500) {
      // Framework errors (body too large, bad content type, malformed JSON): say what, not how.
      const message = status === 413 ? 'Please send less and try again.' : 'The request could not be understood.';
      return respond(request, reply, status, error.code ?? 'bad_request', message);
    }
    const reference = crypto.randomBytes(4).toString('hex').toUpperCase();
    request.log.error({ err: error, reference }, 'unhandled error');
    return respond(
      request,
      reply,
      500,
      'internal',
      'Sorry, there was a technical problem. Nothing you typed has been shared.',
      reference,
    );
  });

  const badAddress = async () => {
    throw new HttpError(400, 'bad_url', 'The web address is not valid. Check it was typed or copied correctly.');
  };
  app.all(BAD_URL_PATH, { config: { access: { kind: 'public' } } }, badAddress);
  app.all(BAD_API_URL_PATH, { config: { access: { kind: 'public' } } }, badAddress);

  app.setNotFoundHandler(notFoundLimiter as never, (request, reply) =>
    respond(request, reply, 404, 'not_found', 'If you typed the web address, check it is correct.'),
  );
}
