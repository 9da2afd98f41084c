import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';

/** Probes for load balancers: /healthz says the process is up, /readyz that it can serve. */
export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const access = { kind: 'public' } as const;

  app.get('/healthz', { config: { access } }, async () => ({ status: 'ok' }));

  // Prometheus text format; off unless METRICS_ALLOW or METRICS_TOKEN is set (see platform/http/metricsAccess.ts).
  app.get('/metrics', { config: { access: { kind: 'metrics' } } }, async (_request, reply) => {
    return reply.type(services.metrics.contentType).send(await services.metrics.text());
  });

  app.get('/readyz', { config: { access } }, async (_request, reply) => {
    const readiness = await services.health.readiness();
    return readiness.status === 'ready' ? readiness : reply.code(503).send(readiness);
  });
}
