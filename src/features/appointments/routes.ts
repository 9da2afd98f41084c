import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, formErrors } from '../../platform/http/forms.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { CASE_WORKERS, POLICE_REFERRAL_READERS } from '../../platform/http/caseAccess.ts';
import {
  APPOINTMENT_KINDS,
  AppointmentError,
  CONFIRM_HOW,
  CONFIRM_HOW_LABELS,
  GENDER_LABELS,
  INTERVIEWER_GENDERS,
  KIND_LABELS,
  MEASURE_LABELS,
  OUTCOMES,
  POLICE_STATION_WARNING,
  SPECIAL_MEASURES,
  STATUS_LABELS,
  VENUE_KINDS,
  VENUE_LABELS,
  type ChangeInput,
  type ProposeInput,
} from './appointmentService.ts';
import { londonInstant } from '../calendar/index.ts';

type Side = 'police' | 'support';

/** The support organisation's caseworkers and liaison officer, and the force's officers (their own cases) and supervisors. */
const SIDES = {
  support: { access: CASE_WORKERS, base: '/staff/cases' },
  police: { access: POLICE_REFERRAL_READERS, base: '/police/cases' },
} as const;

const ID = /^[0-9a-f-]{36}$/;
const caseParams = z.object({ caseId: z.string().regex(ID) });
const appointmentParams = caseParams.extend({ id: z.string().regex(ID) });

const notFound = () => new HttpError(404, 'not_found', 'Page not found');
const rethrow = (error: unknown): never => {
  if (error instanceof AppointmentError && error.code === 'not-found') throw notFound();
  throw error;
};

/** Checkbox values: one value arrives as a string, several as an array. */
function many(body: unknown, name: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Which form field shows a service error about an API field name. */
const PROPOSE_FIELDS: Record<string, string> = { startsAt: 'startsOn', specialMeasures: 'specialMeasures' };

/**
 * Safe-place appointments pages: one page per case for each side,
 * listing the appointments with a form to propose one; the support side
 * confirms with the person, and both sides record outcomes. Nothing about the
 * person's identity or contact details is shown: the police see the venue
 * kind, never the address of the person's home.
 */
export async function appointmentRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { appointments } = services;

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    side: Side,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const params = caseParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const { case: c, items } = await appointments.list(params.data.caseId, actorOf(request)).catch(rethrow);
    if (c.side !== side) throw notFound();
    const query = request.query as Record<string, unknown>;
    return reply.code(status).render('appointments/views/appointments.njk', {
      pageTitle: `Appointments: case ${c.crimeReference}`,
      side,
      base: SIDES[side].base,
      c,
      items,
      kinds: APPOINTMENT_KINDS,
      venueKinds: VENUE_KINDS,
      genders: INTERVIEWER_GENDERS,
      measures: SPECIAL_MEASURES,
      confirmHow: CONFIRM_HOW,
      outcomes: OUTCOMES,
      kindLabels: KIND_LABELS,
      venueLabels: VENUE_LABELS,
      genderLabels: GENDER_LABELS,
      measureLabels: MEASURE_LABELS,
      howLabels: CONFIRM_HOW_LABELS,
      statusLabels: STATUS_LABELS,
      policeStationWarning: POLICE_STATION_WARNING,
      saved: typeof query.saved === 'string' ? query.saved : undefined,
      savedNote: typeof query.reminder === 'string' ? query.reminder : undefined,
      values: { specialMeasures: [] },
      ...extra,
    });
  };

  /** The appointment's case must be this page's case (else 404, as for any other case). */
  const appointmentOf = async (request: FastifyRequest) => {
    const params = appointmentParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const caseId = await appointments.caseIdOf(params.data.id, actorOf(request)).catch(rethrow);
    if (caseId !== params.data.caseId) throw notFound();
    return params.data;
  };

  for (const side of ['support', 'police'] as const) {
    const { access, base } = SIDES[side];
    const config = { access };

    app.get(`${base}/:caseId/appointments`, { config }, async (request, reply) => page(request, reply, side));

    app.post(`${base}/:caseId/appointments`, { config }, async (request, reply) => {
      const params = caseParams.safeParse(request.params);
      if (!params.success) throw notFound();
      const f = formBody(request.body);
      const values = {
        kind: f.kind ?? '',
        venueKind: f.venueKind ?? '',
        venueDetails: f.venueDetails ?? '',
        startsOn: (f.startsOn ?? '').trim(),
        startsTime: (f.startsTime ?? '').trim(),
        attendees: f.attendees ?? '',
        interpreter: f.interpreter ?? '',
        interpreterLanguage: f.interpreterLanguage ?? '',
        interviewerGender: f.interviewerGender ?? '',
        specialMeasures: many(request.body, 'specialMeasures'),
        specialMeasuresNote: f.specialMeasuresNote ?? '',
      };
      const fail = (field: string, message: string, status = 400) =>
        page(request, reply, side, { values, ...formErrors([{ field, message }]) }, status);
      if (!(APPOINTMENT_KINDS as readonly string[]).includes(values.kind))
        return fail('kind', 'Choose what the appointment is for');
      if (!(VENUE_KINDS as readonly string[]).includes(values.venueKind))
        return fail('venueKind', 'Choose where it will be');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.startsOn))
        return fail('startsOn', 'Enter the date as YYYY-MM-DD, like 2026-12-14');
      if (!/^\d{1,2}:\d{2}$/.test(values.startsTime))
        return fail('startsTime', 'Enter the time on a 24-hour clock, like 14:30');
      const startsAt = londonInstant(values.startsOn, values.startsTime);
      if (!startsAt) return fail('startsOn', 'Enter a real date and time');
      if (values.interpreter !== 'yes' && values.interpreter !== 'no')
        return fail('interpreter', 'Say whether an interpreter is needed');
      const input: ProposeInput = {
        kind: values.kind as ProposeInput['kind'],
        venueKind: values.venueKind as ProposeInput['venueKind'],
        venueDetails: values.venueDetails,
        startsAt: startsAt.toISOString(),
        attendees: values.attendees,
        interpreter: values.interpreter === 'yes',
        interpreterLanguage: values.interpreter === 'yes' ? values.interpreterLanguage : undefined,
        interviewerGender: (values.interviewerGender || 'no-preference') as ProposeInput['interviewerGender'],
        specialMeasures: values.specialMeasures as ProposeInput['specialMeasures'],
        specialMeasuresNote: values.specialMeasuresNote,
      };
      try {
        await appointments.propose(params.data.caseId, actorOf(request), input);
      } catch (error) {
        if (!(error instanceof AppointmentError) || error.code === 'not-found') return rethrow(error);
        return fail(PROPOSE_FIELDS[error.field] ?? error.field, error.message);
      }
      return reply.redirect(`${base}/${params.data.caseId}/appointments?saved=proposed`, 303);
    });

    // The form is checked first (the error page re-reads the case, so others still get 404), then the appointment.
    app.post(`${base}/:caseId/appointments/:id/outcome`, { config }, async (request, reply) => {
      const params = appointmentParams.safeParse(request.params);
      if (!params.success) throw notFound();
      const { caseId, id } = params.data;
      const f = formBody(request.body);
      const prefix = `a-${id}`;
      const values = {
        [`${prefix}-outcome`]: f.outcome ?? '',
        [`${prefix}-note`]: f.note ?? '',
        [`${prefix}-newOn`]: (f.newOn ?? '').trim(),
        [`${prefix}-newTime`]: (f.newTime ?? '').trim(),
      };
      const fail = (field: string, message: string, status = 400) =>
        page(
          request,
          reply,
          side,
          {
            values: { specialMeasures: [], ...values },
            open: id,
            ...formErrors([{ field: `${prefix}-${field}`, message }]),
          },
          status,
        );
      if (!(OUTCOMES as readonly string[]).includes(f.outcome ?? '')) return fail('outcome', 'Choose what happened');
      const input: ChangeInput = { status: f.outcome as ChangeInput['status'], note: f.note };
      if (f.outcome === 'rearranged') {
        const newOn = values[`${prefix}-newOn`]!;
        const newTime = values[`${prefix}-newTime`]!;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(newOn))
          return fail('newOn', 'Enter the new date as YYYY-MM-DD, like 2026-12-14');
        const at = londonInstant(newOn, newTime);
        if (!at) return fail('newTime', 'Enter the new time on a 24-hour clock, like 14:30');
        input.startsAt = at.toISOString();
      }
      await appointmentOf(request);
      try {
        await appointments.change(id, actorOf(request), input);
      } catch (error) {
        if (!(error instanceof AppointmentError) || error.code === 'not-found') return rethrow(error);
        return fail(
          error.field === 'startsAt' ? 'newOn' : error.field === 'note' ? 'note' : 'outcome',
          error.message,
          error.code === 'invalid' ? 400 : 409,
        );
      }
      return reply.redirect(
        `${base}/${caseId}/appointments?saved=${encodeURIComponent(f.outcome!)}#appointment-${id}`,
        303,
      );
    });
  }

  // Only the support organisation confirms with the person (and gets the reminder task).
  const { access, base } = SIDES.support;
  app.post(`${base}/:caseId/appointments/:id/confirm`, { config: { access } }, async (request, reply) => {
    const params = appointmentParams.safeParse(request.params);
    if (!params.success) throw notFound();
    const { caseId, id } = params.data;
    const f = formBody(request.body);
    const prefix = `a-${id}`;
    const values = { specialMeasures: [], [`${prefix}-how`]: f.how ?? '', [`${prefix}-confirmNote`]: f.note ?? '' };
    const fail = (field: string, message: string, status = 400) =>
      page(
        request,
        reply,
        'support',
        { values, open: id, ...formErrors([{ field: `${prefix}-${field}`, message }]) },
        status,
      );
    if (!(CONFIRM_HOW as readonly string[]).includes(f.how ?? ''))
      return fail('how', 'Choose how the person confirmed it');
    await appointmentOf(request);
    let reminder: string;
    try {
      const r = await appointments.change(id, actorOf(request), {
        status: 'confirmed',
        how: f.how as ChangeInput['how'],
        note: f.note,
      });
      reminder = r.reminder ? `due-${r.reminder.dueOn}` : 'none';
    } catch (error) {
      if (!(error instanceof AppointmentError) || error.code === 'not-found') return rethrow(error);
      return fail(error.field === 'note' ? 'confirmNote' : 'how', error.message, error.code === 'invalid' ? 400 : 409);
    }
    return reply.redirect(`${base}/${caseId}/appointments?saved=confirmed&reminder=${reminder}#appointment-${id}`, 303);
  });
}
