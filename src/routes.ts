import type { FastifyInstance } from 'fastify';
import type { Services } from './composition.ts';
import { ApiRegistry } from './features/api/apiRegistry.ts';
import { apiRoutes, defineFoundationApi } from './features/api/routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { feedbackRoutes } from './features/feedback/routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { keyRoutes } from './features/keys/routes.ts';
import { organisationRoutes } from './features/organisations/routes.ts';
import { publicSiteRoutes } from './features/public-site/routes.ts';
import { defineReportingApi } from './features/reporting/api.ts';
import { checkReportRoutes } from './features/reporting/checkRoutes.ts';
import { reportJourneyRoutes } from './features/reporting/journeyRoutes.ts';
import { reportStaffRoutes } from './features/reporting/staffRoutes.ts';
import { setupRoutes } from './features/setup/routes.ts';
import { signInRoutes } from './features/sign-in/routes.ts';
import { staffRoutes } from './features/staff/adminRoutes.ts';
import { enrolmentRoutes } from './features/staff/enrolmentRoutes.ts';

/** Every feature's routes, registered in one place. */
export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await app.register(healthRoutes, { services });
  await app.register(publicSiteRoutes, { services });
  await app.register(feedbackRoutes, { services });
  await app.register(reportJourneyRoutes, { services });
  await app.register(checkReportRoutes, { services });
  await app.register(reportStaffRoutes, { services });
  await app.register(auditRoutes, { services });
  await app.register(setupRoutes, { services });
  await app.register(signInRoutes, { services });
  await app.register(enrolmentRoutes, { services });
  await app.register(staffRoutes, { services });
  await app.register(keyRoutes, { services });
  await app.register(organisationRoutes, { services });
  // Each feature defines its API operations; they are registered together with their OpenAPI document.
  const api = new ApiRegistry();
  defineFoundationApi(api, services);
  defineReportingApi(api, services);
  await app.register(apiRoutes, { api });
}
