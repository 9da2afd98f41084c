import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Services } from '../../composition.ts';
import { migrationsAreCurrent } from '../../platform/db/migrator.ts';

/** Probes for load balancers: /healthz says the process is up, /readyz that it can serve. */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const access = { kind: 'public' } as const;

  app.get('/healthz', { config: { access } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(services.db);
      if (!(await migrationsAreCurrent(services.db))) {
        return reply.code(503).send({ status: 'unavailable', reason: 'migrations pending' });
      }
      // A derived table still to be filled (src/derivedData.ts) would give short lists, such as the at-risk list.
      if (await services.db.selectFrom('derived_data_pending').select('name').limit(1).executeTakeFirst()) {
        return reply.code(503).send({ status: 'unavailable', reason: 'derived data pending' });
      }
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}
