import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { ApiRegistry } from '../../platform/http/api/apiRegistry.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { APPOINTMENTS_API } from '../../platform/http/caseAccess.ts';
import {
  APPOINTMENT_KINDS,
  AppointmentError,
  CONFIRM_HOW,
  INTERVIEWER_GENDERS,
  OUTCOMES,
  SPECIAL_MEASURES,
  VENUE_KINDS,
} from './appointmentService.ts';
import { rethrowAsHttp } from '../../platform/http/domainErrors.ts';

const caseParams = z.object({ caseId: z.string().min(1).max(64) });
const idParams = z.object({ id: z.string().min(1).max(64) });

// A transition that is impossible now (already confirmed or closed, not yet confirmed or started) is a conflict.
const APPOINTMENT_REFUSALS = {
  'support-only': 403,
  'already-confirmed': 409,
  'already-closed': 409,
  'not-confirmed': 409,
  'not-yet-started': 409,
} as const;
const asHttp = (error: unknown): never => rethrowAsHttp(error, AppointmentError, APPOINTMENT_REFUSALS);

const appointmentSchema = z.object({
  id: z.string(),
  kind: z.enum(APPOINTMENT_KINDS),
  venueKind: z.enum(VENUE_KINDS),
  venueDetails: z.string().nullable(),
  venueWarning: z.string().nullable(),
  startsAt: z.string(),
  attendees: z.string().nullable(),
  needs: z.object({
    interpreter: z.boolean(),
    interpreterLanguage: z.string().nullable(),
    interviewerGender: z.enum(INTERVIEWER_GENDERS),
    specialMeasures: z.array(z.enum(SPECIAL_MEASURES)),
    specialMeasuresNote: z.string().nullable(),
  }),
  status: z.enum(['proposed', 'confirmed', ...OUTCOMES]),
  proposedBy: z.string(),
  proposedAt: z.string(),
  confirmedAt: z.string().nullable(),
  confirmedHow: z.string().nullable(),
  outcomeAt: z.string().nullable(),
  rearrangedToId: z.string().nullable(),
  rearrangedFromId: z.string().nullable(),
  /** The reminder task on the report: the support organisation's tokens only. */
  reminder: z.object({ taskId: z.string(), dueOn: z.string(), done: z.boolean() }).nullable(),
});

/** Safe-place appointments in the API. */
export function defineAppointmentsApi(api: ApiRegistry, services: Services): void {
  const { appointments } = services;

  api.define({
    method: 'POST',
    path: '/api/v1/cases/:caseId/appointments',
    summary:
      'Propose a safe-place appointment in a police case (statement, ABE interview, medical or SARC, identification, court familiarisation, hearing, trial); the support organisation then confirms it with the person',
    tag: 'Police cases',
    access: APPOINTMENTS_API,
    params: caseParams,
    body: z.object({
      kind: z.enum(APPOINTMENT_KINDS),
      venueKind: z.enum(VENUE_KINDS),
      venueDetails: z.string().max(500).optional(),
      startsAt: z.string().datetime({ offset: true }),
      attendees: z.string().max(1000).optional(),
      interpreter: z.boolean().optional(),
      interpreterLanguage: z.string().max(100).optional(),
      interviewerGender: z.enum(INTERVIEWER_GENDERS).optional(),
      specialMeasures: z.array(z.enum(SPECIAL_MEASURES)).optional(),
      specialMeasuresNote: z.string().max(1000).optional(),
    }),
    response: z.object({ id: z.string() }),
    successStatus: 201,
    async handler({ params, body, request }) {
      return appointments.propose(params.caseId, actorOf(request), body).catch(asHttp);
    },
  });

  api.define({
    method: 'GET',
    path: '/api/v1/cases/:caseId/appointments',
    summary:
      "A police case's appointments in time order (a police-station venue carries venueWarning; the police never get the address of the person's home); the read is audited",
    tag: 'Police cases',
    access: APPOINTMENTS_API,
    params: caseParams,
    response: z.object({ items: z.array(appointmentSchema) }),
    async handler({ params, request }) {
      const { items } = await appointments.list(params.caseId, actorOf(request)).catch(asHttp);
      return {
        items: items.map((a) => ({
          ...a,
          needs: {
            interpreter: a.interpreter,
            interpreterLanguage: a.interpreterLanguage,
            interviewerGender: a.interviewerGender,
            specialMeasures: a.specialMeasures,
            specialMeasuresNote: a.specialMeasuresNote,
          },
          reminder: a.reminder ? { taskId: a.reminder.taskId, dueOn: a.reminder.dueOn, done: a.reminder.done } : null,
        })),
      };
    },
  });

  api.define({
    method: 'PATCH',
    path: '/api/v1/appointments/:id',
    summary:
      'Confirm an appointment with the person (`status: confirmed` with `how`; support organisation only; adds a reminder task due the working day before) or record its outcome (`attended`/`missed` once it has started and was confirmed; `rearranged` with the new `startsAt`; `cancelled-by-police`). 409 with a code for an impossible transition: already-confirmed, already-closed, not-confirmed, not-yet-started',
    tag: 'Police cases',
    access: APPOINTMENTS_API,
    params: idParams,
    body: z.object({
      status: z.enum(['confirmed', ...OUTCOMES]),
      how: z.enum(CONFIRM_HOW).optional(),
      note: z.string().max(2000).optional(),
      startsAt: z.string().datetime({ offset: true }).optional(),
      venueKind: z.enum(VENUE_KINDS).optional(),
      venueDetails: z.string().max(500).optional(),
    }),
    response: z.object({
      id: z.string(),
      status: z.enum(['confirmed', ...OUTCOMES]),
      reminder: z.object({ taskId: z.string(), dueOn: z.string() }).nullable(),
      /** Why no reminder task was made (a token confirmed and nobody is assigned to the report). */
      reminderSkipped: z.string().nullable(),
      newAppointmentId: z.string().nullable(),
    }),
    async handler({ params, body, request }) {
      const r = await appointments.change(params.id, actorOf(request), body).catch(asHttp);
      return {
        id: r.id,
        status: r.status,
        reminder: r.reminder ? { taskId: r.reminder.taskId, dueOn: r.reminder.dueOn } : null,
        reminderSkipped: r.reminderSkipped,
        newAppointmentId: r.newAppointmentId,
      };
    },
  });
}
