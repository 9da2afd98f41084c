import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import type { CasePage, CasePanel } from '../casework/index.ts';
import { requireStepUp } from '../sessions/index.ts';
import { RetentionError, holdSchema } from './legalHolds.ts';
import { askSchema, confirmSchema } from './personErasure.ts';
import { DRAFT_HOURS, DRAFT_JUSTIFICATION, RULES, SCHEDULE_FIELDS, scheduleSchema } from './schedule.ts';

const ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;
const WORKERS = { access: CASE_WORKERS } as const;
const CASE_PAGE = 'reporting/views/staff-report.njk';
const PERSON_PAGE = 'retention/views/person-erasure.njk';
const ID = /^[A-Za-z0-9_-]{8,64}$/;
const idParams = z.object({ id: z.string().regex(ID) });
const eraseSchema = z.object({
  confirm: z.literal('yes', { message: 'Tick the box to confirm the report should be erased now' }),
});

/** The case page's section on keeping and erasing the report (legal hold, the person's deletion request). */
export function retentionCasePanel(services: Services): CasePanel {
  return async (request, report) => ({
    retention: await services.retention.casePanel(staffOf(request).orgId, report.id),
  });
}

/**
 * The retention schedule (support administrators), legal holds and erasing at
 * the person's request from the case page (caseworkers and liaison), and
 * erasing a person record with a second member of staff confirming. Erasing
 * takes a fresh security code; its form is checked first, so a post that
 * could never succeed is answered without asking for one.
 */
export function retentionRoutes(app: FastifyInstance, services: Services, showReport: CasePage): void {
  const stepUp = requireStepUp(services.now);

  // ---- the schedule ----

  const schedulePage = async (reply: FastifyReply, orgId: string, extra: Record<string, unknown> = {}) => {
    const schedule = await services.retention.schedule(orgId);
    return reply.render('retention/views/schedule.njk', {
      pageTitle: 'Retention schedule',
      rules: RULES,
      fields: SCHEDULE_FIELDS,
      draftHours: DRAFT_HOURS,
      draftJustification: DRAFT_JUSTIFICATION,
      changedAt: schedule.changedAt,
      values: Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, String(schedule[f])])),
      requests: await services.retention.openRequests(orgId),
      ...extra,
    });
  };

  app.get('/admin/retention', { config: ADMINS }, async (request, reply) =>
    schedulePage(reply, staffOf(request).orgId, { saved: (request.query as Record<string, unknown>).saved === '1' }),
  );

  app.post('/admin/retention', { config: ADMINS }, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = scheduleSchema.safeParse(values);
    if (!parsed.success)
      return schedulePage(reply.code(400), staffOf(request).orgId, { ...zodFormErrors(parsed.error), values });
    try {
      await services.retention.setSchedule(actorOf(request), parsed.data);
    } catch (error) {
      if (!(error instanceof RetentionError)) throw error;
      return schedulePage(reply.code(400), staffOf(request).orgId, {
        ...formErrors([{ field: error.field, message: error.message }]),
        values,
      });
    }
    return reply.redirect('/admin/retention?saved=1', 303);
  });

  // ---- on the case page ----

  const caseProblem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    field: string,
    message: string,
    extra = {},
  ) => reply.code(400).render(CASE_PAGE, await showReport(request, { ...formErrors([{ field, message }]), ...extra }));

  app.post('/staff/reports/:reference/legal-hold', { config: WORKERS }, async (request, reply) => {
    const { report } = await showReport(request);
    const holdValues = formBody(request.body);
    const parsed = holdSchema.safeParse(holdValues);
    if (!parsed.success)
      return caseProblem(request, reply, 'holdReason', parsed.error.issues[0]!.message, { holdValues });
    try {
      await services.legalHolds.place(actorOf(request), report.id, parsed.data.holdReason);
    } catch (error) {
      if (!(error instanceof RetentionError)) throw error;
      return caseProblem(request, reply, 'holdReason', error.message, { holdValues });
    }
    return reply.redirect(`/staff/reports/${report.reference}#keeping`, 303);
  });

  app.post('/staff/reports/:reference/legal-hold/release', { config: WORKERS }, async (request, reply) => {
    const { report } = await showReport(request);
    try {
      await services.legalHolds.release(actorOf(request), report.id);
    } catch (error) {
      if (!(error instanceof RetentionError)) throw error;
      return caseProblem(request, reply, 'hold', error.message);
    }
    return reply.redirect(`/staff/reports/${report.reference}#keeping`, 303);
  });

  const eraseFormFilled = async (request: FastifyRequest, reply: FastifyReply) => {
    if (eraseSchema.safeParse(formBody(request.body)).success) return;
    return caseProblem(request, reply, 'confirm', 'Tick the box to confirm the report should be erased now');
  };

  app.post(
    '/staff/reports/:reference/erase',
    {
      config: WORKERS,
      preHandler: [eraseFormFilled, stepUp],
    },
    async (request, reply) => {
      const { report } = await showReport(request);
      try {
        await services.retention.eraseOnRequest(actorOf(request), report.id);
      } catch (error) {
        if (!(error instanceof RetentionError)) throw error;
        return caseProblem(request, reply, 'confirm', error.message);
      }
      return reply.redirect(`/staff/reports/${report.reference}`, 303);
    },
  );

  // ---- a person record: one asks, another confirms ----

  const personId = (request: FastifyRequest) => {
    const params = idParams.safeParse(request.params);
    if (!params.success) throw new HttpError(404, 'not_found', 'There is no such person in your organisation.');
    return params.data.id;
  };

  const personPage = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const id = personId(request);
    let state;
    try {
      state = await services.personErasure.state(actorOf(request), id);
    } catch (error) {
      if (error instanceof RetentionError)
        throw new HttpError(404, 'not_found', 'There is no such person in your organisation.');
      throw error;
    }
    return reply.render(PERSON_PAGE, {
      pageTitle: 'Erase this person record',
      personId: id,
      state,
      values: {},
      ...extra,
    });
  };

  const personProblem = (request: FastifyRequest, reply: FastifyReply, field: string, message: string) =>
    personPage(request, reply.code(400), { ...formErrors([{ field, message }]) });

  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    action: (id: string) => Promise<unknown>,
    done: (id: string) => string,
  ) => {
    const id = personId(request);
    try {
      await action(id);
    } catch (error) {
      if (!(error instanceof RetentionError)) throw error;
      return personProblem(request, reply, error.field, error.message);
    }
    return reply.redirect(done(id), 303);
  };

  app.get('/staff/people/:id/erasure', { config: WORKERS }, async (request, reply) =>
    personPage(request, reply, { done: (request.query as Record<string, unknown>).done }),
  );

  app.post('/staff/people/:id/erasure', { config: WORKERS }, async (request, reply) => {
    const parsed = askSchema.safeParse(formBody(request.body));
    if (!parsed.success) return personProblem(request, reply, 'because', parsed.error.issues[0]!.message);
    return act(
      request,
      reply,
      (id) => services.personErasure.ask(actorOf(request), id, parsed.data.because),
      (id) => `/staff/people/${id}/erasure?done=asked`,
    );
  });

  app.post('/staff/people/:id/erasure/cancel', { config: WORKERS }, async (request, reply) =>
    act(
      request,
      reply,
      (id) => services.personErasure.cancel(actorOf(request), id),
      (id) => `/staff/people/${id}/erasure?done=cancelled`,
    ),
  );

  const confirmFormFilled = async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = confirmSchema.safeParse(formBody(request.body));
    if (!parsed.success) return personProblem(request, reply, 'confirm', parsed.error.issues[0]!.message);
  };

  app.post(
    '/staff/people/:id/erasure/confirm',
    { config: WORKERS, preHandler: [confirmFormFilled, stepUp] },
    async (request, reply) =>
      act(
        request,
        reply,
        (id) => services.personErasure.confirm(actorOf(request), id),
        () => '/staff/people',
      ),
  );
}
