import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { clearSessionCookie, startSession } from '../sessions/index.ts';
import { InvitationError } from './invitationService.ts';
import { choosePasswordForm, enrolmentCodeForm, linkTokenParams } from './schemas.ts';
import { enrolmentQrSvg, formatSecretForTyping } from './twoFactor.ts';

const PUBLIC = { kind: 'public' } as const;
const ENROLLING = { kind: 'signing-in', stage: 'enrol' } as const;
const rateLimit = { max: 30, timeWindow: '1 minute' };

/** Accepting an invitation, then enrolling in two-factor sign-in (also used after setup and resets). */
export async function enrolmentRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get<{ Params: { token: string } }>(
    '/invitation/:token',
    { config: { access: PUBLIC, rateLimit } },
    async (request, reply) => {
      try {
        const open = await services.invitations.open(tokenOf(request.params));
        return reply.render('staff/views/accept-invitation.njk', {
          pageTitle: 'Choose a password',
          email: open.email,
          orgName: open.orgName,
          token: request.params.token,
        });
      } catch (error) {
        if (!(error instanceof InvitationError)) throw error;
        return reply
          .code(410)
          .render('staff/views/invitation-problem.njk', { pageTitle: 'Invitation not valid', message: error.message });
      }
    },
  );

  app.post<{ Params: { token: string } }>(
    '/invitation/:token',
    { config: { access: PUBLIC, rateLimit } },
    async (request, reply) => {
      const token = request.params.token;
      const { password, confirm } = choosePasswordForm.safeParse(formBody(request.body)).data ?? {
        password: '',
        confirm: '',
      };
      try {
        tokenOf(request.params);
        const open = await services.invitations.open(token);
        if (password !== confirm) {
          const { errors, fieldErrors } = formErrors([{ field: 'confirm', message: 'The passwords do not match' }]);
          return reply.code(400).render('staff/views/accept-invitation.njk', {
            pageTitle: 'Choose a password',
            email: open.email,
            orgName: open.orgName,
            token,
            errors,
            fieldErrors,
          });
        }
        const userId = await services.invitations.accept(token, password);
        await startSession(services, reply, userId, 'enrol');
        return reply.redirect('/account/two-factor', 303);
      } catch (error) {
        if (!(error instanceof InvitationError)) throw error;
        if (error.code === 'password') {
          const open = await services.invitations.open(token);
          const { errors, fieldErrors } = formErrors([{ field: 'password', message: error.message }]);
          return reply.code(400).render('staff/views/accept-invitation.njk', {
            pageTitle: 'Choose a password',
            email: open.email,
            orgName: open.orgName,
            token,
            errors,
            fieldErrors,
          });
        }
        return reply
          .code(410)
          .render('staff/views/invitation-problem.njk', { pageTitle: 'Invitation not valid', message: error.message });
      }
    },
  );

  app.get('/account/two-factor', { config: { access: ENROLLING } }, async (request, reply) =>
    renderEnrolment(services, request.principal, reply),
  );

  app.post('/account/two-factor', { config: { access: ENROLLING, rateLimit } }, async (request, reply) => {
    const principal = request.principal;
    if (principal.kind !== 'signing-in') return reply.redirect('/sign-in', 303);
    const form = enrolmentCodeForm.safeParse(formBody(request.body));
    const codes = form.success ? await services.accounts.confirmTotp(principal.userId, form.data.code) : undefined;
    if (!codes) {
      const { errors, fieldErrors } = formErrors([
        { field: 'code', message: 'Enter the 6-digit code your authenticator app shows now' },
      ]);
      return renderEnrolment(services, principal, reply.code(400), { errors, fieldErrors });
    }
    const user = await services.accounts.find(principal.userId);
    await services.audit.record({
      actorKind: 'user',
      actorId: principal.userId,
      orgId: user?.org_id ?? null,
      action: 'user.two-factor-enrolled',
      targetKind: 'user',
      targetId: principal.userId,
    });
    // Any other part-way session (another tab or device) must not outlive enrolment.
    await services.sessions.destroyAllFor(principal.userId);
    await startSession(services, reply, principal.userId, 'active');
    // Shown once, in this response only (no-store), never again.
    return reply.render('staff/views/recovery-codes.njk', { pageTitle: 'Save your recovery codes', codes });
  });
}

/** A token of the wrong shape is as invalid as an unknown one. */
function tokenOf(params: unknown): string {
  const parsed = linkTokenParams.safeParse(params);
  if (!parsed.success) throw new InvitationError('not_found', 'This invitation link is not valid');
  return parsed.data.token;
}

async function renderEnrolment(
  services: Services,
  principal: import('../../platform/http/principal.ts').Principal,
  reply: import('fastify').FastifyReply,
  extra: Record<string, unknown> = {},
) {
  if (principal.kind !== 'signing-in') return reply.redirect('/sign-in', 303);
  const user = await services.accounts.find(principal.userId);
  if (!user || user.totp_enrolled_at) {
    // Already enrolled elsewhere: this part-way session is stale and must not replace the secret.
    await services.sessions.destroy(principal.sessionIdHash);
    clearSessionCookie(services, reply);
    return reply.redirect('/sign-in', 303);
  }
  const secret = await services.accounts.pendingTotpSecret(user.id);
  const email = await services.accounts.email(user);
  const qrSvg = await enrolmentQrSvg(secret, email, 'Liaison');
  return reply.render('staff/views/two-factor.njk', {
    pageTitle: 'Set up two-factor sign-in',
    qrSvg,
    secret: formatSecretForTyping(secret),
    ...extra,
  });
}
