import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { formBody, zodFormErrors } from '../../platform/http/forms.ts';
import { shownNameSchema } from './shownName.ts';

const SUPPORT_STAFF = { access: { kind: 'staff', orgKind: 'support' } } as const;

/** `/staff/shown-name`: each member of a support organisation's own setting. */
export async function shownNameRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const page = 'staff/views/shown-name.njk';
  app.get('/staff/shown-name', { config: SUPPORT_STAFF }, async (request, reply) =>
    reply.render(page, {
      pageTitle: 'Name shown to people who report',
      values: { shownName: await services.shownNames.get(staffOf(request).userId) },
      saved: (request.query as { saved?: string }).saved === '1',
    }),
  );
  app.post('/staff/shown-name', { config: SUPPORT_STAFF }, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = shownNameSchema.safeParse(values);
    if (!parsed.success)
      return reply
        .code(400)
        .render(page, { pageTitle: 'Name shown to people who report', values, ...zodFormErrors(parsed.error) });
    await services.shownNames.set(staffOf(request), parsed.data.shownName);
    return reply.redirect('/staff/shown-name?saved=1', 303);
  });
}
