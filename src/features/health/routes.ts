import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { DatabaseTimeoutError } from '../../platform/db/database.ts';
import { migrationsAreCurrent } from '../../platform/db/migrator.ts';

/**
 * How long /readyz waits for a database connection and a trivial query. Load
 * balancers probe every few seconds; an instance whose pool is exhausted (every
 * connection waiting on a lock) should be taken out of rotation, not reported ready.
 */
export const READY_TIMEOUT_MS = 2000;

/** Probes for load balancers: /healthz says the process is up, /readyz that it can serve. */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const access = { kind: 'public' } as const;

  app.get('/healthz', { config: { access } }, async () => ({ status: 'ok' }));

  // Prometheus text format; off unless METRICS_ALLOW or METRICS_TOKEN is set (see platform/http/metricsAccess.ts).
  app.get('/metrics', { config: { access: { kind: 'metrics' } } }, async (_request, reply) => {
    return reply.type(services.metrics.contentType).send(await services.metrics.text());
  });

  app.get('/readyz', { config: { access } }, async (_request, reply) => {
    try {
      await services.database.ping(READY_TIMEOUT_MS);
      if (!(await migrationsAreCurrent(services.db))) {
        return reply.code(503).send({ status: 'unavailable', reason: 'migrations pending' });
      }
      // A derived table still to be filled (src/derivedData.ts) would give short lists, such as the at-risk list.
      if (await services.db.selectFrom('derived_data_pending').select('name').limit(1).executeTakeFirst()) {
        return reply.code(503).send({ status: 'unavailable', reason: 'derived data pending' });
      }
      return { status: 'ready' };
    } catch (error) {
      if (
        error instanceof DatabaseTimeoutError ||
        /timeout exceeded when trying to connect/.test(String((error as Error).message))
      ) {
        // Counts only: how many connections are busy and how many requests queue for one.
        return reply
          .code(503)
          .send({ status: 'unavailable', reason: 'database pool unhealthy', pool: services.database.poolStats() });
      }
      return reply.code(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
}
