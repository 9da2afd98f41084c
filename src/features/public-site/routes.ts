import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';

const PUBLIC = { access: { kind: 'public' } } as const;
// These pages are the same for every visitor, so they are rendered once.
const STATIC = { static: true };

/** The public shell: home, safety advice, cookies, feedback and the exit route. */
export async function publicSiteRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/', { config: PUBLIC }, async (_request, reply) => reply.render('public-site/views/home.njk', {}, STATIC));
  app.get('/staying-safe-online', { config: PUBLIC }, async (_request, reply) =>
    reply.render('public-site/views/staying-safe.njk', {}, STATIC),
  );
  app.get('/cookies', { config: PUBLIC }, async (_request, reply) =>
    reply.render('public-site/views/cookies.njk', { cookieNames: services.cookies }, STATIC),
  );

  // "Leave this site" without JavaScript: forget this browser's session with us, then go.
  app.get('/leave', { config: PUBLIC }, async (request, reply) => {
    // An unsent report is deleted too, not just forgotten by this browser.
    const draft = await services.reportDrafts.load(request.cookies[services.cookies.reportDraft]);
    if (draft) await services.reportDrafts.discard(draft.idHash);
    await services.reporterSessions.end(request.cookies[services.cookies.checkReport]);
    await services.members.endSession(request.cookies[services.cookies.memberSession]);
    reply.header('clear-site-data', '"cache", "cookies", "storage"');
    return reply.redirect(services.config.exitUrl, 303);
  });
}
