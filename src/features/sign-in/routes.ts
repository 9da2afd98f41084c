import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { clearSessionCookie, startSession } from './sessionCookie.ts';
import { safeNextPath } from './stepUp.ts';

const PUBLIC = { kind: 'public' } as const;
const GENERIC_FAILURE = 'Enter a correct email address, password and security code. After several wrong attempts you must wait 15 minutes.';
// A per-address ceiling in front of the database throttle, so floods cost little.
const rateLimit = { max: 30, timeWindow: '1 minute' };

export async function signInRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/sign-in', { config: { access: PUBLIC } }, async (_request, reply) => reply.render('sign-in/views/password.njk', { pageTitle: 'Sign in', values: {} }));

  app.post('/sign-in', { config: { access: PUBLIC, rateLimit } }, async (request, reply) => {
    const body = formBody(request.body);
    const parsed = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) }).safeParse(body);
    const outcome = parsed.success ? await services.signIn.checkPassword(parsed.data.email, parsed.data.password, request.ip) : ({ ok: false } as const);
    if (!outcome.ok) {
      const { errors } = formErrors([{ field: 'email', message: GENERIC_FAILURE }]);
      return reply.code(400).render('sign-in/views/password.njk', { pageTitle: 'Sign in', errors, values: { email: body.email } });
    }
    await startSession(services, reply, outcome.userId, outcome.next);
    return reply.redirect(outcome.next === 'mfa' ? '/sign-in/code' : '/account/two-factor', 303);
  });

  app.get('/sign-in/code', { config: { access: { kind: 'signing-in', stage: 'mfa' } } }, async (_request, reply) =>
    reply.render('sign-in/views/code.njk', { pageTitle: 'Enter your security code' }),
  );

  app.post('/sign-in/code', { config: { access: { kind: 'signing-in', stage: 'mfa' }, rateLimit } }, async (request, reply) => {
    const principal = request.principal;
    if (principal.kind !== 'signing-in') return reply.redirect('/sign-in', 303);
    const code = (formBody(request.body).code ?? '').slice(0, 64);
    const result = await services.signIn.checkCode(principal.userId, code, request.ip);
    if (!result.ok) {
      const { errors } = formErrors([{ field: 'code', message: GENERIC_FAILURE }]);
      return reply.code(400).render('sign-in/views/code.njk', { pageTitle: 'Enter your security code', errors });
    }
    await startSession(services, reply, principal.userId, 'active');
    return reply.redirect('/staff', 303);
  });

  // Sign-out works for anyone (a stale tab too); it only ever ends the caller's own session.
  app.post('/sign-out', { config: { access: PUBLIC } }, async (request, reply) => {
    const principal = await services.authenticator.fromSessionCookie(request, reply);
    if (principal.kind === 'staff' || principal.kind === 'signing-in') {
      await services.sessions.destroy(principal.sessionIdHash);
      if (principal.kind === 'staff') await services.signIn.signedOut(principal.staff.userId, principal.staff.orgId);
    }
    clearSessionCookie(services, reply);
    reply.header('clear-site-data', '"cache", "cookies", "storage"');
    return reply.redirect('/sign-in', 303);
  });

  app.get('/account/confirm', { config: { access: { kind: 'staff' } } }, async (request, reply) => {
    const next = safeNextPath((request.query as Record<string, unknown>).next);
    return reply.render('sign-in/views/confirm.njk', { pageTitle: 'Confirm it is you', next });
  });

  app.post('/account/confirm', { config: { access: { kind: 'staff' }, rateLimit } }, async (request, reply) => {
    const principal = request.principal;
    if (principal.kind !== 'staff') return reply.redirect('/sign-in', 303);
    const body = formBody(request.body);
    const next = safeNextPath(body.next);
    if (!(await services.signIn.confirmStepUp(principal.staff.userId, (body.code ?? '').slice(0, 64), request.ip))) {
      const { errors } = formErrors([{ field: 'code', message: 'Enter the current 6-digit code from your authenticator app' }]);
      return reply.code(400).render('sign-in/views/confirm.njk', { pageTitle: 'Confirm it is you', next, errors });
    }
    await services.sessions.recordStepUp(principal.sessionIdHash);
    return reply.redirect(next, 303);
  });
}
