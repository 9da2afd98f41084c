import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { codeForm, confirmForm, confirmQuery, passwordForm } from './schemas.ts';
import { clearSessionCookie, startSession } from '../sessions/index.ts';
import { safeNextPath } from '../sessions/index.ts';
import { DEVICE_COOKIE_MAX_AGE_S } from './deviceCookies.ts';
import type { SignInClient } from './signInService.ts';

const PUBLIC = { kind: 'public' } as const;
const GENERIC_FAILURE =
  'Enter a correct email address, password and security code. After several wrong attempts you must wait 15 minutes.';
// A per-address ceiling in front of the database throttle, so floods cost little.
const rateLimit = { max: 30, timeWindow: '1 minute' };

export async function signInRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const clientOf = (request: FastifyRequest): SignInClient => ({
    address: request.ip,
    deviceCookie: request.cookies[services.cookies.device],
  });

  // After signing in the home page tells the person about failed attempts on their account; this hides it.
  app.post('/account/sign-in-attempts/seen', { config: { access: { kind: 'staff' } } }, async (request, reply) => {
    const principal = request.principal;
    if (principal.kind === 'staff') await services.signIn.acknowledgeFailedSignIns(principal.staff.userId);
    return reply.redirect('/staff', 303);
  });

  app.get('/sign-in', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.render('sign-in/views/password.njk', { pageTitle: 'Sign in', values: {} }),
  );

  app.post('/sign-in', { config: { access: PUBLIC, rateLimit } }, async (request, reply) => {
    const body = formBody(request.body);
    const parsed = passwordForm.safeParse(body);
    const outcome = parsed.success
      ? await services.signIn.checkPassword(parsed.data.email, parsed.data.password, clientOf(request))
      : ({ ok: false } as const);
    if (!outcome.ok) {
      const { errors } = formErrors([{ field: 'email', message: GENERIC_FAILURE }]);
      return reply
        .code(400)
        .render('sign-in/views/password.njk', { pageTitle: 'Sign in', errors, values: { email: body.email } });
    }
    await startSession(services, reply, outcome.userId, outcome.next);
    return reply.redirect(outcome.next === 'mfa' ? '/sign-in/code' : '/account/two-factor', 303);
  });

  app.get('/sign-in/code', { config: { access: { kind: 'signing-in', stage: 'mfa' } } }, async (_request, reply) =>
    reply.render('sign-in/views/code.njk', { pageTitle: 'Enter your security code' }),
  );

  app.post(
    '/sign-in/code',
    { config: { access: { kind: 'signing-in', stage: 'mfa' }, rateLimit } },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.kind !== 'signing-in') return reply.redirect('/sign-in', 303);
      const parsed = codeForm.safeParse(formBody(request.body));
      const result = parsed.success
        ? await services.signIn.checkCode(principal.userId, parsed.data.code, clientOf(request))
        : { ok: false };
      if (!result.ok) {
        return reply.code(400).render('sign-in/views/code.njk', {
          pageTitle: 'Enter your security code',
          ...formErrors([{ field: 'code', message: GENERIC_FAILURE }]),
        });
      }
      await startSession(services, reply, principal.userId, 'active');
      // An essential cookie: this browser may keep signing in even while others guess the password.
      if ('deviceCookie' in result && result.deviceCookie) {
        reply.setCookie(services.cookies.device, result.deviceCookie, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: services.config.secureCookies,
          maxAge: DEVICE_COOKIE_MAX_AGE_S,
        });
      }
      return reply.redirect('/staff', 303);
    },
  );

  // Sign-out works for anyone (a stale tab too); it only ever ends the caller's own session.
  app.post('/sign-out', { config: { access: PUBLIC } }, async (request, reply) => {
    const principal = await services.authenticator.fromSessionCookie(request, reply);
    if (principal.kind === 'staff' || principal.kind === 'signing-in') {
      await services.sessions.destroy(principal.sessionIdHash);
      if (principal.kind === 'staff') await services.signIn.signedOut(principal.staff.userId, principal.staff.orgId);
    }
    clearSessionCookie(services, reply);
    // Not "cookies": that would also drop the device cookie, and with it the person's protection
    // from being locked out by others' wrong passwords. The session cookie is cleared above.
    reply.header('clear-site-data', '"cache", "storage"');
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
    if (
      !parsed.success ||
      !(await services.signIn.confirmStepUp(principal.staff.userId, parsed.data.code, clientOf(request)))
    ) {
      const problems = formErrors([
        { field: 'code', message: 'Enter the current 6-digit code from your authenticator app' },
      ]);
      return reply.code(400).render('sign-in/views/confirm.njk', { pageTitle: 'Confirm it is you', next, ...problems });
    }
    await services.sessions.recordStepUp(principal.sessionIdHash);
    return reply.redirect(next, 303);
  });
}
