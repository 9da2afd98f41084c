import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { removalSchema, TrainingError, trainingSchema } from './officerTraining.ts';

/** Training records: the support organisation's administrators and its liaison officers. Everyone else gets 404. */
export const TRAINING_RECORDERS = {
  kind: 'staff',
  roles: ['admin', 'liaison'],
  orgKind: 'support',
  conceal: true,
} as const;

const PAGE = 'training/views/training.njk';
const REMOVE_PAGE = 'training/views/remove.njk';
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** /admin/training: which police officers completed the charity's training (list, add, remove with a reason). */
export async function trainingRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const config = { access: TRAINING_RECORDERS };
  const { training } = services;

  const listPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const actor = actorOf(request);
    const query = request.query as Record<string, unknown> | undefined;
    return {
      pageTitle: 'Officer training',
      records: await training.list(actor),
      forces: await training.choices(actor.orgId),
      values: { completedOn: services.now().toISOString().slice(0, 10) },
      added: query?.added === '1',
      removed: query?.removed === '1',
      ...extra,
    };
  };

  app.get('/admin/training', { config }, async (request, reply) => reply.render(PAGE, await listPage(request)));

  app.post('/admin/training', { config }, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = trainingSchema.safeParse(values);
    const fail = async (problems: { field: string; message: string }[]) =>
      reply
        .code(400)
        .render(PAGE, await listPage(request, { ...formErrors(problems), values, added: false, removed: false }));
    if (!parsed.success)
      return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'officer'), message: i.message })));
    try {
      await training.add(actorOf(request), parsed.data);
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      return fail([{ field: error.field, message: error.message }]);
    }
    return reply.redirect('/admin/training?added=1', 303);
  });

  const recordOf = async (request: FastifyRequest) => {
    const params = idParams.safeParse(request.params);
    const record = params.success
      ? (await training.list(actorOf(request))).find((r) => r.id === params.data.id)
      : undefined;
    if (!record) throw new HttpError(404, 'not_found', 'There is no such training record in your organisation.');
    return record;
  };

  app.get('/admin/training/:id/remove', { config }, async (request, reply) =>
    reply.render(REMOVE_PAGE, { pageTitle: 'Remove a training record', record: await recordOf(request), values: {} }),
  );

  app.post('/admin/training/:id/remove', { config }, async (request, reply) => {
    const record = await recordOf(request);
    const values = formBody(request.body);
    const parsed = removalSchema.safeParse(values);
    const fail = (message: string, field = 'reason') =>
      reply.code(400).render(REMOVE_PAGE, {
        pageTitle: 'Remove a training record',
        record,
        values,
        ...formErrors([{ field, message }]),
      });
    if (!parsed.success) return fail(parsed.error.issues[0]!.message);
    try {
      await training.remove(actorOf(request), record.id, parsed.data.reason);
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      return fail(error.message);
    }
    return reply.redirect('/admin/training?removed=1', 303);
  });
}
