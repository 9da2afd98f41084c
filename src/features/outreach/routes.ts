import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { REACH_ME } from '../../platform/http/caseAccess.ts';
import { PeopleError } from '../people/index.ts';
import { SIGHTINGS, sightingSchema } from './reachMeService.ts';

const config = { access: REACH_ME };
const entryParams = z.object({ entryId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const PAGE = 'outreach/views/reach-me.njk';

/**
 * The outreach "reach me" list, for a phone on the street: working name, how
 * to recognise them, where they are seen and the message, with one-tap forms.
 * Nothing about accounts, cases or contact details is on this page.
 */
export async function outreachRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const listPage = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const done = z
      .object({ done: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), what: z.enum(['seen', 'not-seen', 'new-number']) })
      .safeParse(request.query);
    const entries = await services.reachMe.openList(actorOf(request));
    const recorded = done.success ? entries.find((e) => e.id === done.data.done) : undefined;
    return {
      pageTitle: 'Reach me',
      entries,
      sightings: SIGHTINGS,
      recorded: recorded
        ? { workingName: recorded.workingName, what: SIGHTINGS[done.success ? done.data.what : 'seen'] }
        : null,
      numberValues: {},
      ...extra,
    };
  };

  app.get('/outreach/reach-me', { config }, async (request, reply) => reply.render(PAGE, await listPage(request)));

  app.post('/outreach/reach-me/:entryId/sightings', { config }, async (request, reply) => {
    const params = entryParams.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'not_found', 'That entry is no longer on the list.');
    const { entryId: id } = params.data;
    const values = formBody(request.body);
    const parsed = sightingSchema.safeParse({ outcome: values.outcome, number: values.number || undefined });
    const fail = async (message: string) =>
      reply.code(400).render(
        PAGE,
        await listPage(request, {
          ...formErrors([{ field: `number-${id}`, message }]),
          numberValues: { [id]: values.number ?? '' },
        }),
      );
    if (!parsed.success) return fail(parsed.error.issues[0]!.message);
    let result;
    try {
      result = await services.reachMe.recordSighting(actorOf(request), id, parsed.data);
    } catch (error) {
      if (!(error instanceof PeopleError)) throw error;
      return fail(error.message);
    }
    if (!result) throw new HttpError(404, 'not_found', 'That entry is no longer on the list.');
    return reply.redirect(`/outreach/reach-me?done=${id}&what=${parsed.data.outcome}#recorded`, 303);
  });
}
