import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { isRealDate } from '../../platform/validation/isoDate.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS, POLICE_REFERRAL_READERS } from '../../platform/http/caseAccess.ts';
import { DUTY_STATE_LABELS, EVENT_LABELS, HOW_LABELS } from './labels.ts';
import { PoliceCaseError } from './policeCaseError.ts';
import { dutyMetInput } from './schemas.ts';
import { EVENT_SENTENCES } from '../vocabulary/index.ts';
import { TIMELINE_EVENT_TYPES } from './victimsCodeRules.ts';

type Side = 'police' | 'support';

/** The two sides of a case: the force's officers and supervisors, and the support organisation's caseworkers and liaison officer. */
const SIDES = {
  police: { access: POLICE_REFERRAL_READERS, base: '/police/cases', duties: '/police/duties' },
  support: { access: CASE_WORKERS, base: '/staff/cases', duties: '/staff/duties' },
} as const;

const ID = /^[0-9a-f-]{36}$/;
const caseParams = z.object({ caseId: z.string().regex(ID) });
const dutyParams = caseParams.extend({ dutyId: z.string().regex(ID) });

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'Page not found');
}

const rethrow = (error: unknown): never => {
  if (error instanceof PoliceCaseError && error.code === 'not-found') throw notFound();
  throw error;
};

/**
 * The police case pages: the force's list and case page, the support
 * organisation's case page (linked from the report's referral panel), and the
 * duty lists of both sides. Each page reads through the case services, which
 * apply who may see which case (PoliceCaseScope; officers only their own).
 * Nothing about the person is shown here: the police read that on the referral
 * page, under live consent.
 */
export async function policeCaseRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { policeCases, caseTimeline, duties, dutyLists, caseMessages, contactRequests } = services;

  const casePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    side: Side,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const params = caseParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const actor = actorOf(request);
    const c = await caseTimeline.get(params.data.caseId, actor).catch(rethrow);
    if (c.side !== side) throw notFound();
    const query = request.query as Record<string, unknown>;
    return reply.code(status).render('police-cases/views/case.njk', {
      pageTitle: `Case ${c.crimeReference}`,
      side,
      base: SIDES[side].base,
      dutiesPath: SIDES[side].duties,
      c,
      officer: c.officerId ? await policeCases.officerName(c.officerId) : null,
      messages: await caseMessages.list(c.id, actor),
      requests: await contactRequests.forCase(c.id, actor),
      eventTypes: TIMELINE_EVENT_TYPES,
      eventLabels: EVENT_LABELS,
      howLabels: HOW_LABELS,
      toldLabels: { ...HOW_LABELS, 'check-your-report': 'Through Check your report' },
      eventSentences: EVENT_SENTENCES,
      stateLabels: DUTY_STATE_LABELS,
      saved: typeof query.saved === 'string' ? query.saved : undefined,
      values: {},
      ...extra,
    });
  };

  const caseIdOf = (request: FastifyRequest): string => {
    const params = caseParams.safeParse(request.params);
    if (!params.success) throw notFound();
    return params.data.caseId;
  };

  for (const side of ['police', 'support'] as const) {
    const { access, base } = SIDES[side];
    const config = { access };

    app.get(`${base}/:caseId`, { config }, async (request, reply) => casePage(request, reply, side));

    // The person was told (how, and a note), or why not.
    app.post(`${base}/:caseId/duties/:dutyId/met`, { config }, async (request, reply) => {
      const params = dutyParams.safeParse(request.params);
      if (!params.success) throw notFound();
      const { dutyId, caseId } = params.data;
      const values = formBody(request.body);
      const prefix = `duty-${dutyId}`;
      const kept = { [`${prefix}-how`]: values.how ?? '', [`${prefix}-note`]: values.note ?? '' };
      const parsed = dutyMetInput.safeParse({
        how: values.how ?? '',
        note: values.note?.trim() ? values.note : undefined,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return casePage(
          request,
          reply,
          side,
          {
            values: kept,
            ...formErrors([
              {
                field: `${prefix}-${issue?.path[0] === 'note' ? 'note' : 'how'}`,
                message: issue?.message ?? 'Choose how the person was told',
              },
            ]),
          },
          400,
        );
      }
      try {
        await duties.markMet(dutyId, actorOf(request), parsed.data);
      } catch (error) {
        if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
        return casePage(
          request,
          reply,
          side,
          {
            values: kept,
            ...formErrors([{ field: `${prefix}-${error.field === 'note' ? 'note' : 'how'}`, message: error.message }]),
          },
          error.code === 'already-resolved' ? 409 : 400,
        );
      }
      return reply.redirect(`${base}/${caseId}?saved=told#duties`, 303);
    });

    // Support side only: the liaison passes the update on through Check your report, in words they checked.
    if (side === 'support') {
      app.post(`${base}/:caseId/duties/:dutyId/tell`, { config }, async (request, reply) => {
        const params = dutyParams.safeParse(request.params);
        if (!params.success) throw notFound();
        const { dutyId, caseId } = params.data;
        const values = formBody(request.body);
        const field = `duty-${dutyId}-tell`;
        try {
          await duties.tellThroughCheck(dutyId, actorOf(request), values.text ?? '');
        } catch (error) {
          if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
          return casePage(
            request,
            reply,
            side,
            { values: { [field]: values.text ?? '' }, ...formErrors([{ field, message: error.message }]) },
            error.code === 'already-resolved' ? 409 : 400,
          );
        }
        return reply.redirect(`${base}/${caseId}?saved=told#duties`, 303);
      });
    }

    app.post(`${base}/:caseId/duties/:dutyId/not-met`, { config }, async (request, reply) => {
      const params = dutyParams.safeParse(request.params);
      if (!params.success) throw notFound();
      const { dutyId, caseId } = params.data;
      const values = formBody(request.body);
      const field = `duty-${dutyId}-reason`;
      try {
        await duties.recordNotMet(dutyId, actorOf(request), values.reason ?? '');
      } catch (error) {
        if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
        return casePage(
          request,
          reply,
          side,
          {
            values: { [field]: values.reason ?? '' },
            openNotMet: dutyId,
            ...formErrors([{ field, message: error.message }]),
          },
          error.code === 'already-resolved' ? 409 : 400,
        );
      }
      return reply.redirect(`${base}/${caseId}?saved=not-told#duties`, 303);
    });

    app.post(`${base}/:caseId/messages`, { config }, async (request, reply) => {
      const caseId = caseIdOf(request);
      const values = formBody(request.body);
      try {
        await caseMessages.send(caseId, actorOf(request), values.message ?? '');
      } catch (error) {
        if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
        return casePage(
          request,
          reply,
          side,
          { values: { message: values.message ?? '' }, ...formErrors([{ field: 'message', message: error.message }]) },
          400,
        );
      }
      return reply.redirect(`${base}/${caseId}?saved=message#messages`, 303);
    });

    app.get(SIDES[side].duties, { config }, async (request, reply) => {
      const actor = actorOf(request);
      return reply.render('police-cases/views/duties.njk', {
        pageTitle: "Victims' Code duties",
        side,
        base,
        overdue: await dutyLists.dutiesFor(actor, 'overdue'),
        dueToday: await dutyLists.dutiesFor(actor, 'due'),
        eventLabels: EVENT_LABELS,
      });
    });
  }

  // ---- Police only ----
  const police = { access: SIDES.police.access };

  app.get('/police/cases', { config: police }, async (request, reply) =>
    reply.render('police-cases/views/police-list.njk', {
      pageTitle: 'Police cases',
      cases: await policeCases.list(actorOf(request)),
      eventLabels: EVENT_LABELS,
    }),
  );

  // Record what happened: the form takes a date (the clock counts UK days), stored at midday UTC so it is that day in the UK too.
  app.post('/police/cases/:caseId/events', { config: police }, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = formBody(request.body);
    const kept = {
      type: values.type ?? '',
      occurredOn: (values.occurredOn ?? '').trim(),
      bailEndsOn: (values.bailEndsOn ?? '').trim(),
      outcomeType: (values.outcomeType ?? '').trim(),
      summary: values.summary ?? '',
    };
    const fail = (field: string, message: string) =>
      casePage(request, reply, 'police', { values: kept, ...formErrors([{ field, message }]) }, 400);
    if (!(TIMELINE_EVENT_TYPES as readonly string[]).includes(kept.type)) return fail('type', 'Choose what happened');
    if (!isRealDate(kept.occurredOn)) {
      return fail('occurredOn', 'Enter the date it happened as YYYY-MM-DD, like 2026-11-27');
    }
    if (kept.outcomeType && !/^\d{1,2}$/.test(kept.outcomeType))
      return fail('outcomeType', 'The Home Office outcome type is a number from 1 to 22');
    try {
      await caseTimeline.recordEvent(caseId, actorOf(request), {
        type: kept.type as (typeof TIMELINE_EVENT_TYPES)[number],
        occurredAt: `${kept.occurredOn}T12:00:00.000Z`,
        bailEndsOn: kept.bailEndsOn || undefined,
        outcomeType: kept.outcomeType ? Number(kept.outcomeType) : undefined,
        summary: kept.summary.trim() || undefined,
      });
    } catch (error) {
      if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
      return fail(error.field === 'occurredAt' ? 'occurredOn' : error.field, error.message);
    }
    return reply.redirect(`/police/cases/${caseId}?saved=event#timeline`, 303);
  });

  app.post('/police/cases/:caseId/contact-requests', { config: police }, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = formBody(request.body);
    try {
      await contactRequests.request(caseId, actorOf(request), { reason: values.contactReason });
    } catch (error) {
      if (!(error instanceof PoliceCaseError) || error.code === 'not-found') return rethrow(error);
      return casePage(
        request,
        reply,
        'police',
        {
          values: { contactReason: values.contactReason ?? '' },
          ...formErrors([{ field: 'contactReason', message: error.message }]),
        },
        400,
      );
    }
    return reply.redirect(`/police/cases/${caseId}?saved=contact#contact`, 303);
  });
}
