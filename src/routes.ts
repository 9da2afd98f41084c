import type { FastifyInstance } from 'fastify';
import type { Services } from './composition.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { publicSiteRoutes } from './features/public-site/routes.ts';

/** Every feature's routes, registered in one place. */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(healthRoutes, { services });
  await app.register(publicSiteRoutes, { services });
  await app.register(auditRoutes, { services });
}
