import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../composition.ts';
import { requireStepUp } from '../sessions/index.ts';

// Keys protect every organisation's data, so only the support organisation's administrators manage them.
const KEY_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;

/** Data-encryption keys: see which exist and start a new one, older data then re-encrypted by a job (`liaison keys rotate --reencrypt`). */
export async function keyRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/admin/keys', { config: KEY_ADMINS }, async (request, reply) => {
    const keys = await services.dataKeys.list();
    return reply.render('keys/views/keys.njk', {
      pageTitle: 'Encryption keys',
      keys,
      rotated: (request.query as Record<string, unknown>).rotated === '1',
    });
  });

  app.post(
    '/admin/keys/rotate',
    { config: KEY_ADMINS, preHandler: requireStepUp(services.now) },
    async (request, reply) => {
      const { userId, orgId } = staffOf(request);
      await services.dataKeys.rotate({ kind: 'user', userId, orgId }, { queueReencryption: true });
      return reply.redirect('/admin/keys?rotated=1', 303);
    },
  );
}
