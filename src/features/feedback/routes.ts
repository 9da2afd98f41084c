import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, zodFormErrors } from '../../platform/http/forms.ts';
import { SATISFACTION, feedbackSchema, fromPage } from './schemas.ts';

const PUBLIC = { kind: 'public' } as const;

export async function feedbackRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const form = (values: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    values,
    satisfactionOptions: SATISFACTION,
    ...extra,
  });

  app.get('/feedback', { config: { access: PUBLIC } }, async (request, reply) => {
    const from = fromPage.safeParse((request.query as Record<string, unknown>).from);
    return reply.render('feedback/views/form.njk', form({ page: from.success ? from.data : '' }));
  });

  app.post(
    '/feedback',
    { config: { access: PUBLIC, rateLimit: { max: 10, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const values = formBody(request.body);
      const parsed = feedbackSchema.safeParse(values);
      if (!parsed.success)
        return reply.code(400).render('feedback/views/form.njk', form(values, { ...zodFormErrors(parsed.error) }));
      await services.feedback.submit(parsed.data);
      return reply.redirect('/feedback/thank-you', 303);
    },
  );

  app.get('/feedback/thank-you', { config: { access: PUBLIC } }, async (_request, reply) =>
    reply.render('feedback/views/thanks.njk'),
  );

  app.get('/admin/feedback', { config: { access: { kind: 'staff', roles: ['admin'] } } }, async (request, reply) => {
    const page = z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000)
      .catch(1)
      .parse((request.query as Record<string, unknown>).page);
    const { items, hasMore } = await services.feedback.page(staffOf(request), page);
    return reply.render('feedback/views/admin-list.njk', { pageTitle: 'Feedback', items, page, hasMore });
  });
}
