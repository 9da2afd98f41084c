import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { LIAISON_CASE_API, POLICE_CASE_API } from '../../platform/http/caseAccess.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { DUTY_HOW, tellThroughCheckInput } from './schemas.ts';
import { TIMELINE_EVENT_TYPES } from './victimsCodeRules.ts';

const idParams = z.object({ id: z.string().min(1).max(64) });
const caseParams = z.object({ caseId: z.string().min(1).max(64) });

function asHttp(error: unknown): never {
  if (error instanceof PoliceCaseError) {
    if (error.code === 'not-found') throw new HttpError(404, 'not_found', error.message);
    if (error.code === 'already-resolved') throw new HttpError(409, 'already-resolved', error.message);
    throw new HttpError(400, 'invalid_request', `body.${error.field}: ${error.message}`);
  }
  throw error;
}

const dutySchema = z.object({
  id: z.string(),
  event: z.enum(TIMELINE_EVENT_TYPES),
  dueOn: z.string(),
  state: z.enum(['open', 'due', 'overdue', 'met', 'not-met']),
});

/** The case timeline and the Victims' Code duties in the API. */
export function definePoliceCasesApi(api: ApiRegistry, services: Services): void {
  const { caseTimeline, duties, dutyLists } = services;

  api.define({
    method: 'POST',
    path: '/api/v1/cases/:caseId/events',
    summary:
      'Record a dated event on a police case; creates the "inform the victim" duty the Victims\' Code rules call for',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    params: caseParams,
    body: z.object({
      type: z.enum(TIMELINE_EVENT_TYPES),
      occurredAt: z.string().datetime({ offset: true }),
      bailEndsOn: isoDate('bailEndsOn must be a real date, YYYY-MM-DD').optional(),
      outcomeType: z.number().int().min(1).max(22).optional(),
      summary: z.string().max(2000).optional(),
    }),
    response: z.object({ id: z.string(), duty: z.object({ id: z.string(), dueOn: z.string() }).nullable() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const r = await caseTimeline.recordEvent(params.caseId, actorOf(request), body).catch(asHttp);
      return { id: r.eventId, duty: r.dutyId && r.dueOn ? { id: r.dutyId, dueOn: r.dueOn } : null };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/cases/:caseId',
    summary: 'A police case: its stage (derived from the events), the events and the duties',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    params: caseParams,
    response: z.object({
      stage: z.string(),
      enhancedRights: z.boolean(),
      events: z.array(
        z.object({
          id: z.string(),
          type: z.enum(TIMELINE_EVENT_TYPES),
          occurredAt: z.string(),
          bailEndsOn: z.string().nullable(),
          outcomeType: z.number().nullable(),
        }),
      ),
      duties: z.array(dutySchema),
    }),
    async handler({ params, request }) {
      const c = await caseTimeline.get(params.caseId, actorOf(request)).catch(asHttp);
      return {
        stage: c.stage,
        enhancedRights: c.enhancedRights,
        events: c.events.map((e) => ({
          id: e.id,
          type: e.type,
          occurredAt: e.occurredAt,
          bailEndsOn: e.bailEndsOn,
          outcomeType: e.outcomeType,
        })),
        duties: c.duties.map((d) => ({ id: d.id, event: d.event, dueOn: d.dueOn, state: d.state })),
      };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/duties/:id/met',
    summary: 'Record that the person was told (mailbox message, call, in person, via outreach)',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    params: idParams,
    body: z.object({ how: z.enum(DUTY_HOW), note: z.string().max(2000).optional() }),
    response: z.object({ id: z.string(), state: z.literal('met') }),
    async handler({ params, body, request }) {
      await duties.markMet(params.id, actorOf(request), body).catch(asHttp);
      return { id: params.id, state: 'met' as const };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/duties/:id/told-through-check',
    summary:
      'The charity tells the person through Check your report: the text (checked by the liaison) is what they read under "What is happening", and the duty is met that way. Support organisation only; the police get 404.',
    tag: 'Police cases',
    access: LIAISON_CASE_API,
    params: idParams,
    body: tellThroughCheckInput,
    response: z.object({ id: z.string(), state: z.literal('met'), how: z.literal('check-your-report') }),
    async handler({ params, body, request }) {
      await duties.tellThroughCheck(params.id, actorOf(request), body.text).catch(asHttp);
      return { id: params.id, state: 'met' as const, how: 'check-your-report' as const };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/duties',
    summary:
      'Open "inform the victim" duties of the caller\'s organisation: overdue, due today, or all open; oldest deadline first',
    tag: 'Police cases',
    access: POLICE_CASE_API,
    query: z.object({ state: z.enum(['overdue', 'due', 'open']).default('overdue') }),
    response: z.object({ items: z.array(dutySchema.extend({ caseId: z.string(), crimeReference: z.string() })) }),
    async handler({ query, request }) {
      // Scoped as the pages are (PoliceCaseScope.scopeOf): a supervisor token sees its force's, a liaison token its organisation's.
      const items = await dutyLists.dutiesFor(actorOf(request), query.state);
      return {
        items: items.map((d) => ({
          id: d.id,
          caseId: d.caseId,
          crimeReference: d.crimeReference,
          event: d.event,
          dueOn: d.dueOn,
          state: d.state,
        })),
      };
    },
  });
}
