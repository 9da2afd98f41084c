import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { HttpError } from '../../platform/http/errors.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { CONSENT_SCOPES, ConsentError } from '../consent/index.ts';
import { actorOf, type Actor } from '../../platform/actors/actor.ts';
import { CASE_WORKERS_API } from '../../platform/http/caseAccess.ts';
import { CaseWorkError, noteSchema, taskSchema } from './caseWork.ts';
import { PRIORITIES, RISK_FLAGS, STATUSES, TriageError, triageSchema } from './triage.ts';

const referenceParams = z.object({
  reference: z.string().regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'A reference looks like R-7XK2-Q9M4'),
});
const NOT_FOUND = 'There is no report with that reference in your organisation.';

/** Casework through the API: triage, choices heard by staff, internal notes, tasks and the case history. */
export function defineCaseworkApi(api: ApiRegistry, services: Services): void {
  /** The caller (a token) and the report, looked up within its organisation only: another organisation's is a 404. */
  async function caseOf(request: FastifyRequest, reference: string): Promise<{ actor: Actor; reportId: string }> {
    const actor = actorOf(request);
    const reportId = await services.caseWork.reportId(actor.orgId, reference);
    if (!reportId) throw new HttpError(404, 'not_found', NOT_FOUND);
    return { actor, reportId };
  }

  api.define({
    method: 'PATCH',
    path: '/api/v1/reports/:reference',
    summary:
      'Triage a report: status (closing needs a reason), assignee (a user id or null), priority, risk flags. Fields left out stay as they are.',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: z
      .object({
        status: z.enum(STATUSES).optional(),
        reason: z.string().trim().max(1000).optional(),
        assignee: z.string().max(64).nullable().optional(),
        priority: z.enum(PRIORITIES).optional(),
        flags: z
          .array(z.enum(Object.keys(RISK_FLAGS) as [keyof typeof RISK_FLAGS]))
          .max(10)
          .optional(),
      })
      .strict(),
    response: z.object({
      reference: z.string(),
      status: z.string(),
      priority: z.string(),
      riskFlags: z.array(z.string()),
      assigneeId: z.string().nullable(),
    }),
    async handler({ params, body, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      const current = await services.triage.current(reportId);
      const parsed = triageSchema.safeParse({
        status: body.status ?? current.status,
        reason: body.reason ?? '',
        assignee: body.assignee === undefined ? (current.assigneeId ?? '') : (body.assignee ?? ''),
        priority: body.priority ?? current.priority,
        flags: body.flags ?? current.riskFlags,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new HttpError(400, 'invalid_request', `body.${issue.path.join('.')}: ${issue.message}`);
      }
      try {
        await services.triage.apply(actor, reportId, parsed.data);
      } catch (error) {
        if (error instanceof TriageError)
          throw new HttpError(400, 'invalid_request', `body.${error.field}: ${error.message}`);
        throw error;
      }
      const after = await services.triage.current(reportId);
      return {
        reference: params.reference,
        status: after.status,
        priority: after.priority,
        riskFlags: after.riskFlags,
        assigneeId: after.assigneeId,
      };
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/consents',
    summary:
      'Record a choice the person told staff (in person or by phone); recorded in the consent ledger with the token as who recorded it',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: z.object({
      scope: z.enum(CONSENT_SCOPES, { message: `scope must be one of ${CONSENT_SCOPES.join(', ')}` }),
      given: z.boolean(),
      via: z.enum(['in-person', 'phone'], { message: 'via must be in-person or phone' }),
    }),
    response: z.object({
      consents: z.object(
        Object.fromEntries(CONSENT_SCOPES.map((s) => [s, z.boolean()])) as Record<
          (typeof CONSENT_SCOPES)[number],
          z.ZodBoolean
        >,
      ),
    }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      try {
        return { consents: await services.reports.changeConsent(reportId, body.scope, body.given, body.via, actor) };
      } catch (error) {
        if (error instanceof ConsentError) throw new HttpError(400, 'invalid_request', `body.scope: ${error.message}`);
        throw error;
      }
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/notes',
    summary: 'Add an internal note (encrypted; never shown to the person)',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: noteSchema,
    response: z.object({ id: z.string(), createdAt: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      return services.caseWork.addNote(actor, reportId, body.body);
    },
  });

  api.define({
    method: 'POST',
    path: '/api/v1/reports/:reference/tasks',
    summary: 'Add a task with a due date (YYYY-MM-DD) and an owner (a user id of someone who can hold cases)',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams,
    body: taskSchema,
    response: z.object({ id: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      try {
        return await services.caseWork.addTask(actor, reportId, body);
      } catch (error) {
        if (error instanceof CaseWorkError)
          throw new HttpError(400, 'invalid_request', `body.${error.field}: ${error.message}`);
        throw error;
      }
    },
  });

  api.define({
    method: 'PATCH',
    path: '/api/v1/reports/:reference/tasks/:taskId',
    summary: 'Mark a task done or not done',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams.extend({ taskId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
    body: z.object({ done: z.boolean() }),
    response: z.object({ done: z.boolean() }),
    async handler({ params, body, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      try {
        await services.caseWork.setTaskDone(actor, reportId, params.taskId, body.done);
      } catch (error) {
        if (error instanceof CaseWorkError) throw new HttpError(404, 'not_found', error.message);
        throw error;
      }
      return { done: body.done };
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/reports/:reference/history',
    summary:
      'The case history, oldest first: triage, choices, messages, notes and tasks, each with who did it (the read is audited)',
    tag: 'Casework',
    access: CASE_WORKERS_API,
    params: referenceParams,
    response: z.object({
      events: z.array(
        z.object({
          at: z.string(),
          actor: z.string(),
          kind: z.string(),
          text: z.string(),
          body: z.string().optional(),
        }),
      ),
    }),
    async handler({ params, request }) {
      const { actor, reportId } = await caseOf(request, params.reference);
      return { events: await services.caseWork.readTimeline(actor, reportId) };
    },
  });
}
