import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { rolesFor, type StaffIdentity } from '../../platform/http/principal.ts';
import { requireStepUp } from '../sessions/index.ts';
import { CODE_SPIKE_POLICY, TICKET_WAIT_MS, type ActiveSpike } from '../throttling/index.ts';
import { InvitationError } from './invitationService.ts';
import { caseworkRoleForm, inviteForm, roleForm, userIdParams } from './schemas.ts';
import { StaffAdminError } from './staffAdministration.ts';

const ADMINS = { access: { kind: 'staff', roles: ['admin'] } } as const;

function whenInWords(iso: string): string {
  return `${iso.slice(11, 16)} UTC on ${iso.slice(0, 10)}`;
}

/** The administrators' banner about a guessing spike, from its counters. */
function describeSpike(spike: ActiveSpike) {
  const time = whenInWords;
  return {
    codes: spike.kind === 'receipt' ? 'receipt codes' : 'member codes',
    page: spike.kind === 'receipt' ? 'open their report' : 'sign in as members',
    since: time(spike.since),
    until: time(spike.until),
    threshold: CODE_SPIKE_POLICY.maxFailures,
    minutes: CODE_SPIKE_POLICY.windowMs / 60_000,
    waitSeconds: TICKET_WAIT_MS / 1000,
  };
}
type UserParams = { Params: { id: string } };

/** The staff home page and administrators' management of their own organisation's staff. */
export async function staffRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const stepUp = requireStepUp(services.now);

  app.get('/staff', { config: { access: { kind: 'staff' } } }, async (request, reply) => {
    const staff = staffOf(request);
    // Administrators are told while codes are being guessed from everywhere (sign-in/codeGuard.ts).
    const spikes = staff.role === 'admin' ? (await services.codeGuard.activeSpikes()).map(describeSpike) : [];
    // Failed attempts on this account since the person last dismissed the notice (told after signing in).
    const failed = await services.signIn.failedSignIns(staff.userId);
    const failedSignIns = failed && {
      count: failed.count,
      first: whenInWords(failed.firstAt),
      last: whenInWords(failed.lastAt),
    };
    return reply.render('staff/views/home.njk', { pageTitle: 'Home', staff, spikes, failedSignIns });
  });

  const renderList = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const admin = staffOf(request);
    return reply.render('staff/views/users.njk', {
      pageTitle: 'Staff',
      members: await services.staffAdmin.list(admin),
      invitations: await services.invitations.pending(admin.orgId),
      roles: rolesFor(admin.orgKind),
      values: {},
      ...extra,
    });
  };

  app.get('/admin/users', { config: ADMINS }, async (request, reply) => renderList(request, reply));

  // Sign-in locks on the organisation's accounts, and lifting them (someone locked out of a new device).
  app.get('/admin/sign-in-locks', { config: ADMINS }, async (request, reply) => {
    const admin = staffOf(request);
    const people = (await services.staffAdmin.list(admin)).map((m) => ({ id: m.id, email: m.email }));
    const locks = (await services.signIn.locksOf(people)).map((lock) => ({ ...lock, until: whenInWords(lock.until) }));
    return reply.render('staff/views/sign-in-locks.njk', { pageTitle: 'Sign-in locks', locks });
  });

  app.post<UserParams>('/admin/sign-in-locks/:id/clear', { config: ADMINS }, async (request, reply) => {
    if (!(await services.signIn.clearLocks(staffOf(request), validId(request.params))))
      throw new HttpError(404, 'not_found', 'No such member of staff in your organisation');
    return reply.redirect('/admin/sign-in-locks', 303);
  });

  app.post('/admin/users/invite', { config: ADMINS }, async (request, reply) => {
    const admin = staffOf(request);
    const values = formBody(request.body);
    const form = inviteForm.safeParse(values);
    try {
      if (!form.success)
        throw new InvitationError(
          'invalid_email',
          'Enter an email address in the correct format, like name@example.org',
        );
      const { link } = await services.invitations.invite({
        orgId: admin.orgId,
        role: form.data.role,
        email: form.data.email,
        invitedBy: admin.userId,
      });
      // The link is shown to the administrator once, to pass on; it is never stored.
      return renderList(request, reply, { invitationLink: link });
    } catch (error) {
      if (!(error instanceof InvitationError)) throw error;
      const field = error.code === 'invalid_role' ? 'role' : 'email';
      return renderList(request, reply.code(400), { ...formErrors([{ field, message: error.message }]), values });
    }
  });

  app.post<UserParams>('/admin/invitations/:id/revoke', { config: ADMINS }, async (request, reply) => {
    await services.invitations.revoke(validId(request.params), staffOf(request)).catch((error) => {
      if (!(error instanceof InvitationError)) throw error;
    });
    return reply.redirect('/admin/users', 303);
  });

  // Managing one person changes access, so the page itself asks for a fresh code.
  app.get<UserParams>('/admin/users/:id', { config: ADMINS, preHandler: stepUp }, async (request, reply) => {
    const member = await services.staffAdmin.get(staffOf(request), validId(request.params)).catch(notFound);
    return reply.render('staff/views/user.njk', {
      pageTitle: 'Manage staff member',
      member,
      roles: rolesFor(staffOf(request).orgKind),
      orgKind: staffOf(request).orgKind,
    });
  });

  const change =
    (action: (admin: StaffIdentity, id: string, body: Record<string, string>) => Promise<void>) =>
    async (request: FastifyRequest<UserParams>, reply: FastifyReply) => {
      const admin = staffOf(request);
      const id = validId(request.params);
      try {
        await action(admin, id, formBody(request.body));
        return reply.redirect(`/admin/users/${encodeURIComponent(id)}`, 303);
      } catch (error) {
        if (!(error instanceof StaffAdminError)) throw error;
        if (error.code === 'not_found') notFound(error);
        const member = await services.staffAdmin.get(admin, id);
        return reply.code(400).render('staff/views/user.njk', {
          pageTitle: 'Manage staff member',
          member,
          roles: rolesFor(admin.orgKind),
          orgKind: admin.orgKind,
          ...formErrors([{ field: error.field, message: error.message }]),
        });
      }
    };

  app.post<UserParams>(
    '/admin/users/:id/role',
    { config: ADMINS, preHandler: stepUp },
    change((admin, id, body) => services.staffAdmin.changeRole(admin, id, roleForm.safeParse(body).data?.role ?? '')),
  );
  app.post<UserParams>(
    '/admin/users/:id/casework-role',
    { config: ADMINS, preHandler: stepUp },
    change((admin, id, body) =>
      services.staffAdmin.setCaseworkRole(admin, id, caseworkRoleForm.safeParse(body).data?.caseworkRole ?? '-'),
    ),
  );
  app.post<UserParams>(
    '/admin/users/:id/reset-two-factor',
    { config: ADMINS, preHandler: stepUp },
    change((admin, id) => services.staffAdmin.resetTwoFactor(admin, id)),
  );
  app.post<UserParams>(
    '/admin/users/:id/disable',
    { config: ADMINS, preHandler: stepUp },
    change((admin, id) => services.staffAdmin.setDisabled(admin, id, true)),
  );
  app.post<UserParams>(
    '/admin/users/:id/enable',
    { config: ADMINS, preHandler: stepUp },
    change((admin, id) => services.staffAdmin.setDisabled(admin, id, false)),
  );
}

/** A malformed id cannot name anyone: the same 404 as an id from another organisation. */
function validId(params: unknown): string {
  const parsed = userIdParams.safeParse(params);
  if (!parsed.success) throw new HttpError(404, 'not_found', 'No such member of staff in your organisation');
  return parsed.data.id;
}

function notFound(error: unknown): never {
  if (error instanceof StaffAdminError && error.code === 'not_found') {
    throw new HttpError(404, 'not_found', error.message);
  }
  throw error;
}
