import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { attachmentHeaders, printable } from './subjectAccessPage.ts';

// A person record and every report linked to it: those who work cases, as for the record itself.
const config = { access: CASE_WORKERS };
const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const NOT_FOUND = () => new HttpError(404, 'not_found', 'There is no such person in your organisation.');

/** A subject access request made in person: the person's own data as a page to print and as a JSON file, audited. */
export async function subjectAccessRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const fileFor = async (request: FastifyRequest, format: 'page' | 'json') => {
    const parsed = idParams.safeParse(request.params);
    if (!parsed.success) throw NOT_FOUND();
    const file = await services.subjectAccess.forPerson(actorOf(request), parsed.data.id, format);
    if (!file) throw NOT_FOUND();
    return { personId: parsed.data.id, file };
  };

  app.get('/staff/people/:id/subject-access', { config }, async (request, reply) => {
    const { personId, file } = await fileFor(request, 'page');
    return reply.render('reporting/views/person-subject-access.njk', {
      pageTitle: 'Subject access request',
      personId,
      file: printable(file),
    });
  });

  app.get('/staff/people/:id/subject-access.json', { config }, async (request, reply) => {
    const { file } = await fileFor(request, 'json');
    return reply.headers(attachmentHeaders('subject-access.json')).send(JSON.stringify(file, null, 2));
  });
}
