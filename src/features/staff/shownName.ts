import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { staffOf } from '../../platform/http/access.ts';
import { formBody, zodFormErrors } from '../../platform/http/forms.ts';
import type { AuditTrail } from '../audit/auditTrail.ts';
import { shownNameRepository as repo } from './shownNameRepository.ts';

/** A first name only: letters, spaces, hyphens and apostrophes, so it cannot carry a surname, number or link. */
export const shownNameSchema = z.object({
  shownName: z
    .string()
    .trim()
    .max(30, 'A first name must be 30 characters or fewer')
    .regex(/^(\p{L}[\p{L}'’-]*)?$/u, 'Enter one first name only, using letters (no spaces, numbers or surnames)'),
});

/**
 * The first name a member of a support organisation chooses to show to the
 * people whose reports they look after ("Kerina is looking after your report");
 * none by default, when the person reads "A caseworker". Stored encrypted.
 */
export class ShownNames {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
  ) {}

  async get(userId: string): Promise<string> {
    const row = await repo.get(this.db, userId);
    return row?.shown_name_enc ? this.cipher.decrypt(row.shown_name_enc, 'users.shown_name') : '';
  }

  async set(user: { userId: string; orgId: string }, name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.set(trx, user.userId, name ? this.cipher.encrypt(name, 'users.shown_name') : null);
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: user.userId,
          orgId: user.orgId,
          action: 'staff.shown-name-set',
          targetKind: 'user',
          targetId: user.userId,
          detail: { shown: Boolean(name) },
        },
        trx,
      );
    });
  }
}

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
