import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { startSession } from '../sessions/index.ts';
import { linkTokenParams } from '../staff/index.ts';
import { SetupError, setupFormSchema } from './setupService.ts';

// The link's token is the credential, so the page is public.
const config = { access: { kind: 'public' }, rateLimit: { max: 30, timeWindow: '1 minute' } } as const;

export async function setupRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get<{ Params: { token: string } }>('/setup/:token', { config }, async (request, reply) => {
    if (!linkTokenParams.safeParse(request.params).success || !(await services.setup.isValid(request.params.token)))
      return invalid(reply);
    return reply.render('setup/views/setup.njk', {
      pageTitle: 'Set up Liaison',
      token: request.params.token,
      values: {},
    });
  });

  app.post<{ Params: { token: string } }>('/setup/:token', { config }, async (request, reply) => {
    const { token } = request.params;
    if (!linkTokenParams.safeParse(request.params).success) return invalid(reply);
    const values = formBody(request.body);
    const render = (problems: { errors: unknown; fieldErrors: unknown }) =>
      reply.code(400).render('setup/views/setup.njk', {
        pageTitle: 'Set up Liaison',
        token,
        values: { ...values, password: '' },
        ...problems,
      });
    const parsed = setupFormSchema.safeParse(values);
    if (!parsed.success) return render(zodFormErrors(parsed.error));
    try {
      const userId = await services.setup.complete(token, parsed.data);
      await startSession(services, reply, userId, 'enrol');
      return reply.redirect('/account/two-factor', 303);
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      if (error.code === 'invalid_link') return invalid(reply);
      return render(formErrors([{ field: error.field ?? 'orgName', message: error.message }]));
    }
  });
}

function invalid(reply: import('fastify').FastifyReply) {
  return reply.code(410).render('staff/views/invitation-problem.njk', {
    pageTitle: 'Setup link not valid',
    message: 'This setup link is not valid, has expired or has been used',
  });
}
