import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS_API, REACH_ME_API } from '../../platform/http/caseAccess.ts';
import { sightingSchema } from './reachMeSchemas.ts';
import { PeopleError } from './peopleService.ts';
import { attemptInputSchema, contactPointInputSchema, personInputSchema, retireSchema } from './schemas.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id');
const personParams = z.object({ id });
const NOT_FOUND = 'There is no such person in your organisation.';
const lastContact = { lastSuccessfulAt: z.string().nullable(), daysSinceContact: z.number().int().nullable() };

/** Turns a PeopleError into a 404 (the record is not there for this caller) or a 400 naming the field. */
function apiError(error: unknown, where = 'body'): never {
  if (error instanceof PeopleError) {
    if (error.field === 'person' || error.field === 'contactPoint' || error.field === 'entry')
      throw new HttpError(404, 'not_found', NOT_FOUND);
    throw new HttpError(400, 'invalid_request', `${where}.${error.field}: ${error.message}`);
  }
  throw error;
}

/** People, contact points, contact attempts and the reach-me list through the API. */
export function definePeopleApi(api: ApiRegistry, services: Services): void {
  api.define({
    method: 'GET',
    path: '/api/v1/people',
    summary:
      'People in your organisation (working names only, not merged records), newest first; `name` finds an exact working name',
    tag: 'People',
    access: CASE_WORKERS_API,
    query: z.object({
      name: z.string().trim().max(100).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
    }),
    response: z.object({
      people: z.array(z.object({ id: z.string(), workingName: z.string(), createdAt: z.string(), ...lastContact })),
      hasMore: z.boolean(),
    }),
    async handler({ query, request }) {
      const { items, hasMore } = await services.people.list(actorOf(request).orgId, {
        name: query.name || undefined,
        page: query.page,
      });
      return { people: items, hasMore };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/people',
    summary: 'Create a person record; `report` (a reference) links that report to them',
    tag: 'People',
    access: CASE_WORKERS_API,
    body: personInputSchema.extend({
      report: z
        .string()
        .regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'A reference looks like R-7XK2-Q9M4')
        .optional(),
    }),
    response: z.object({ id: z.string() }),
    successStatus: 201,
    async handler({ body, request }) {
      const actor = actorOf(request);
      const { report, ...input } = body;
      const reportId = report ? await services.caseWork.reportId(actor.orgId, report) : undefined;
      if (report && !reportId)
        throw new HttpError(
          400,
          'invalid_request',
          'body.report: There is no report with that reference in your organisation',
        );
      return services.people.create(actor, input, reportId);
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/people/:id',
    summary:
      'One person: names, languages, notes, linked reports, contact points (without values), attempts and history. The read is audited.',
    tag: 'People',
    access: CASE_WORKERS_API,
    params: personParams,
    response: z.object({
      id: z.string(),
      workingName: z.string(),
      otherNames: z.array(z.string()),
      languages: z.array(z.string()),
      interpreter: z.string(),
      notes: z.string(),
      createdAt: z.string(),
      mergedInto: z.string().nullable(),
      ...lastContact,
      reports: z.array(z.object({ reference: z.string(), status: z.string(), submittedAt: z.string() })),
      contactPoints: z.array(
        z.object({
          id: z.string(),
          kind: z.string(),
          safeToLeaveMessage: z.boolean(),
          safeTimes: z.string().nullable(),
          codeWord: z.string().nullable(),
          source: z.string(),
          unconfirmed: z.boolean(),
          addedAt: z.string(),
          lastConfirmedAt: z.string().nullable(),
          retiredAt: z.string().nullable(),
          retiredReason: z.string().nullable(),
        }),
      ),
      attempts: z.array(
        z.object({
          id: z.string(),
          at: z.string(),
          actor: z.string(),
          channel: z.string(),
          outcome: z.string(),
          contactPointId: z.string().nullable(),
          note: z.string().nullable(),
        }),
      ),
      history: z.array(z.object({ at: z.string(), actor: z.string(), text: z.string() })),
    }),
    async handler({ params, request }) {
      const person = await services.people.view(actorOf(request), params.id);
      if (!person) throw new HttpError(404, 'not_found', NOT_FOUND);
      return person;
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/people/:id/contact-points',
    summary:
      'Add a contact point. Mobile, landline and WhatsApp values must be phone numbers; they are stored in E.164 (default region GB).',
    tag: 'People',
    access: CASE_WORKERS_API,
    params: personParams,
    body: contactPointInputSchema,
    response: z.object({ id: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      try {
        return await services.people.addContactPoint(actorOf(request), params.id, body, 'api');
      } catch (error) {
        return apiError(error);
      }
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/people/:id/contact-points/:cpId/retire',
    summary:
      'Retire a contact point with a reason (number-changed, not-in-service, unsafe-now). It stays in the record.',
    tag: 'People',
    access: CASE_WORKERS_API,
    params: personParams.extend({ cpId: id }),
    body: retireSchema,
    response: z.object({ retired: z.literal(true) }),
    async handler({ params, body, request }) {
      try {
        await services.people.retireContactPoint(actorOf(request), params.id, params.cpId, body.reason);
      } catch (error) {
        return apiError(error);
      }
      return { retired: true as const };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/people/:id/contact-attempts',
    summary: 'Record a contact attempt: channel, outcome and (optionally) the contact point used',
    tag: 'People',
    access: CASE_WORKERS_API,
    params: personParams,
    body: attemptInputSchema,
    response: z.object({ id: z.string(), at: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      try {
        return await services.people.recordAttempt(actorOf(request), params.id, body);
      } catch (error) {
        return apiError(error);
      }
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/reach-me',
    summary:
      'The open reach-me list as outreach sees it: working name, how to recognise them, where seen and the message. Nothing else.',
    tag: 'Outreach',
    access: REACH_ME_API,
    response: z.object({
      entries: z.array(
        z.object({
          id: z.string(),
          workingName: z.string(),
          recognise: z.string().nullable(),
          whereSeen: z.string(),
          message: z.string(),
        }),
      ),
    }),
    async handler({ request }) {
      return { entries: await services.reachMe.openList(actorOf(request)) };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reach-me/:entryId/sightings',
    summary:
      'Record what outreach found: seen (message passed), not-seen, or new-number (with `number`; it becomes an unconfirmed contact point)',
    tag: 'Outreach',
    access: REACH_ME_API,
    params: z.object({ entryId: id }),
    body: sightingSchema,
    response: z.object({ attemptId: z.string(), contactPointCreated: z.boolean() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      let result;
      try {
        result = await services.reachMe.recordSighting(actorOf(request), params.entryId, body);
      } catch (error) {
        return apiError(error);
      }
      if (!result) throw new HttpError(404, 'not_found', 'There is no such open reach-me entry.');
      return { attemptId: result.attemptId, contactPointCreated: result.contactPointId !== null };
    },
  });
}
