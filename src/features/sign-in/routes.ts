import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { codeForm, confirmForm, confirmQuery, passwordForm } from './schemas.ts';
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
    const parsed = passwordForm.safeParse(body);
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
    const parsed = codeForm.safeParse(formBody(request.body));
    const result = parsed.success ? await services.signIn.checkCode(principal.userId, parsed.data.code, request.ip) : { ok: false };
    if (!result.ok) {
      return reply.code(400).render('sign-in/views/code.njk', { pageTitle: 'Enter your security code', ...formErrors([{ field: 'code', message: GENERIC_FAILURE }]) });
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
    const query = confirmQuery.safeParse(request.query);
    const next = safeNextPath(query.success ? query.data.next : undefined);
    return reply.render('sign-in/views/confirm.njk', { pageTitle: 'Confirm it is you', next });
  });

  app.post('/account/confirm', { config: { access: { kind: 'staff' }, rateLimit } }, async (request, reply) => {
    const principal = request.principal;
    if (principal.kind !== 'staff') return reply.redirect('/sign-in', 303);
    const parsed = confirmForm.safeParse(formBody(request.body));
    const next = safeNextPath(parsed.success ? parsed.data.next : undefined);
    if (!parsed.success || !(await services.signIn.confirmStepUp(principal.staff.userId, parsed.data.code, request.ip))) {
      const problems = formErrors([{ field: 'code', message: 'Enter the current 6-digit code from your authenticator app' }]);
      return reply.code(400).render('sign-in/views/confirm.njk', { pageTitle: 'Confirm it is you', next, ...problems });
    }
    await services.sessions.recordStepUp(principal.sessionIdHash);
    return reply.redirect(next, 303);
  });
}
