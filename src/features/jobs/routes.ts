import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { HttpError } from '../../platform/http/errors.ts';

// The runner is one for the whole service, so the administrators who run the
// service (those of support organisations) watch it; police administrators do not.
const JOB_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;
const jobParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** /admin/jobs: each kind of job with its last and next run and failures; failed jobs can be dismissed. */
export async function jobRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/admin/jobs', { config: JOB_ADMINS }, async (request, reply) =>
    reply.render('jobs/views/jobs.njk', {
      pageTitle: 'Jobs',
      types: await services.jobsOverview.types(),
      failed: await services.jobsOverview.failed(),
      dismissed: (request.query as Record<string, unknown>).dismissed === '1',
    }),
  );

  app.post('/admin/jobs/:id/dismiss', { config: JOB_ADMINS }, async (request, reply) => {
    const params = jobParams.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'not_found', 'There is no failed job with that id.');
    const staff = staffOf(request);
    if (!(await services.jobsOverview.dismiss({ userId: staff.userId, orgId: staff.orgId }, params.data.id)))
      throw new HttpError(404, 'not_found', 'There is no failed job with that id.');
    return reply.redirect('/admin/jobs?dismissed=1', 303);
  });
}
