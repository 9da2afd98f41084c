import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { auditQuerySchema } from './auditBrowser.ts';

const ADMINS = { access: { kind: 'staff', roles: ['admin'] } } as const;

export async function auditRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/admin/audit', { config: ADMINS }, async (request, reply) => {
    const raw = request.query as Record<string, string>;
    const parsed = auditQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({ text: issue.message, href: `#${String(issue.path[0])}` }));
      return reply.code(400).render('audit/views/list.njk', { pageTitle: 'Audit trail', errors, query: raw, rows: [] });
    }
    const { rows, nextBefore } = await services.auditBrowser.page(staffOf(request), parsed.data);
    const next = nextBefore ? `?${new URLSearchParams({ ...stripEmpty(raw), before: String(nextBefore) })}` : undefined;
    return reply.render('audit/views/list.njk', { pageTitle: 'Audit trail', query: raw, rows, next });
  });
}

function stripEmpty(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([key, value]) => value && key !== 'before'));
}
