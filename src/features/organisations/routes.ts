import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { OrganisationError } from './organisationService.ts';

const SUPPORT_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;

/** Organisation settings administrators manage: for now, the areas offered in the report form. */
export async function organisationRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const settings = async (orgId: string) => ({
    areas: (await services.organisations.areas(orgId)).join('\n'),
    sarc: (await services.organisations.findById(orgId))?.sarc_information ?? '',
  });

  app.get('/admin/areas', { config: SUPPORT_ADMINS }, async (request, reply) => {
    return reply.render('organisations/views/areas.njk', {
      pageTitle: 'Report form',
      values: await settings(staffOf(request).orgId),
      saved: (request.query as Record<string, unknown>).saved === '1',
    });
  });

  app.post('/admin/sarc', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    const sarc = formBody(request.body).sarc ?? '';
    try {
      await services.organisations.setSarcInformation(staff.orgId, sarc, { kind: 'user', id: staff.userId });
    } catch (error) {
      if (!(error instanceof OrganisationError)) throw error;
      return reply.code(400).render('organisations/views/areas.njk', {
        pageTitle: 'Report form',
        values: { ...(await settings(staff.orgId)), sarc },
        ...formErrors([{ field: 'sarc', message: error.message }]),
      });
    }
    return reply.redirect('/admin/areas?saved=1', 303);
  });

  app.post('/admin/areas', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    const values = formBody(request.body);
    try {
      await services.organisations.setAreas(staff.orgId, (values.areas ?? '').split(/\r?\n/), {
        kind: 'user',
        id: staff.userId,
      });
    } catch (error) {
      if (!(error instanceof OrganisationError)) throw error;
      return reply.code(400).render('organisations/views/areas.njk', {
        pageTitle: 'Report form',
        values: { ...(await settings(staff.orgId)), areas: values.areas ?? '' },
        ...formErrors([{ field: 'areas', message: error.message }]),
      });
    }
    return reply.redirect('/admin/areas?saved=1', 303);
  });
}
