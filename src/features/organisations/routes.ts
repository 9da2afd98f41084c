import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { OrganisationError } from './organisationService.ts';

const SUPPORT_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;


/** Organisation settings administrators manage: for now, the areas offered in the report form. */
export async function organisationRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/admin/areas', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const areas = await services.organisations.areas(staffOf(request).orgId);
    return reply.render('organisations/views/areas.njk', { pageTitle: 'Areas', values: { areas: areas.join('\n') }, saved: (request.query as Record<string, unknown>).saved === '1' });
  });

  app.post('/admin/areas', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    const values = formBody(request.body);
    try {
      await services.organisations.setAreas(staff.orgId, (values.areas ?? '').split(/\r?\n/), { kind: 'user', id: staff.userId });
    } catch (error) {
      if (!(error instanceof OrganisationError)) throw error;
      return reply.code(400).render('organisations/views/areas.njk', { pageTitle: 'Areas', values, ...formErrors([{ field: 'areas', message: error.message }]) });
    }
    return reply.redirect('/admin/areas?saved=1', 303);
  });
}
