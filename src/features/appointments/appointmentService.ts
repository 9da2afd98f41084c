import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { AppointmentsTable, DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { PoliceCaseError, type CaseFacts, type PoliceCaseScope } from '../police-cases/index.ts';
import { londonDate, workingDayBefore, type BankHolidayService } from '../calendar/index.ts';
import { appointmentRepository as repo } from './appointmentRepository.ts';
import { APPOINTMENT_KIND_LABELS, APPOINTMENT_KINDS } from '../vocabulary/index.ts';
import { syncAttritionWatch } from '../attrition/index.ts';

export { APPOINTMENT_KINDS };
export const VENUE_KINDS = [
  'charity-premises',
  'sarc',
  'home',
  'other-agency',
  'police-station',
  'court',
  'other',
] as const;
export const INTERVIEWER_GENDERS = ['no-preference', 'female', 'male'] as const;
/** The special measures a witness can ask for (Youth Justice and Criminal Evidence Act 1999, ss. 23–30), as a small fixed set; anything else goes in the note. */
export const SPECIAL_MEASURES = [
  'screens',
  'live-link',
  'evidence-in-private',
  'no-wigs-and-gowns',
  'video-recorded-evidence',
  'intermediary',
  'communication-aids',
] as const;
export const CONFIRM_HOW = ['call', 'in-person', 'mailbox', 'via-outreach'] as const;
export const OUTCOMES = ['attended', 'missed', 'rearranged', 'cancelled-by-police'] as const;

export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];
export type VenueKind = (typeof VENUE_KINDS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type AppointmentStatus = 'proposed' | 'confirmed' | Outcome;

/** Shown beside a police station wherever one is shown or offered. */
export const POLICE_STATION_WARNING = 'The person may not feel safe here';

export const KIND_LABELS = APPOINTMENT_KIND_LABELS;
export const VENUE_LABELS: Record<VenueKind, string> = {
  'charity-premises': 'Charity premises',
  sarc: 'Sexual assault referral centre (SARC)',
  home: "The person's home",
  'other-agency': 'Another agency',
  'police-station': 'Police station',
  court: 'Court',
  other: 'Somewhere else',
};
export const GENDER_LABELS: Record<(typeof INTERVIEWER_GENDERS)[number], string> = {
  'no-preference': 'No preference',
  female: 'Female',
  male: 'Male',
};
export const MEASURE_LABELS: Record<(typeof SPECIAL_MEASURES)[number], string> = {
  screens: 'Screens in court',
  'live-link': 'Live link (giving evidence from another room)',
  'evidence-in-private': 'Evidence given in private',
  'no-wigs-and-gowns': 'Removal of wigs and gowns',
  'video-recorded-evidence': 'Video-recorded evidence in chief',
  intermediary: 'An intermediary',
  'communication-aids': 'Communication aids',
};
export const CONFIRM_HOW_LABELS: Record<(typeof CONFIRM_HOW)[number], string> = {
  call: 'Call',
  'in-person': 'In person',
  mailbox: 'Mailbox message',
  'via-outreach': 'Via outreach',
};
export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  proposed: 'Proposed',
  confirmed: 'Confirmed with the person',
  attended: 'Attended',
  missed: 'Missed',
  rearranged: 'Rearranged',
  'cancelled-by-police': 'Cancelled by the police',
};

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const proposeInput = z
  .object({
    kind: z.enum(APPOINTMENT_KINDS, { message: 'Choose what the appointment is for' }),
    venueKind: z.enum(VENUE_KINDS, { message: 'Choose where it will be' }),
    venueDetails: optionalText(500, 'Venue details'),
    startsAt: z.string().datetime({ offset: true, message: 'Enter when it starts as a date and time' }),
    attendees: optionalText(1000, 'Who attends'),
    interpreter: z.boolean().default(false),
    interpreterLanguage: optionalText(100, 'The language'),
    interviewerGender: z
      .enum(INTERVIEWER_GENDERS, { message: 'Choose a preference for the gender of the interviewer' })
      .default('no-preference'),
    specialMeasures: z
      .array(z.enum(SPECIAL_MEASURES, { message: 'Choose special measures from the list' }))
      .max(SPECIAL_MEASURES.length)
      .default([]),
    specialMeasuresNote: optionalText(1000, 'The note on special measures'),
  })
  .superRefine((v, ctx) => {
    if (v.interpreter && !v.interpreterLanguage)
      ctx.addIssue({
        code: 'custom',
        path: ['interpreterLanguage'],
        message: 'Say which language the interpreter is for',
      });
    if (!v.interpreter && v.interpreterLanguage)
      ctx.addIssue({
        code: 'custom',
        path: ['interpreterLanguage'],
        message: 'Give a language only when an interpreter is needed',
      });
    if ((v.venueKind === 'other' || v.venueKind === 'other-agency') && !v.venueDetails)
      ctx.addIssue({ code: 'custom', path: ['venueDetails'], message: 'Say where the appointment will be' });
    if (new Set(v.specialMeasures).size !== v.specialMeasures.length)
      ctx.addIssue({ code: 'custom', path: ['specialMeasures'], message: 'Choose each special measure once' });
  });
export type ProposeInput = z.input<typeof proposeInput>;

/** A change to an appointment: confirm it with the person, or record its outcome (a rearrangement gives the new time). */
export const changeInput = z
  .object({
    status: z.enum(['confirmed', ...OUTCOMES], { message: 'Choose what happened' }),
    how: z.enum(CONFIRM_HOW, { message: 'Choose how the person confirmed it' }).optional(),
    note: optionalText(2000, 'The note'),
    startsAt: z.string().datetime({ offset: true, message: 'Enter the new date and time' }).optional(),
    venueKind: z.enum(VENUE_KINDS, { message: 'Choose where it will be' }).optional(),
    venueDetails: optionalText(500, 'Venue details'),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'confirmed' && !v.how)
      ctx.addIssue({ code: 'custom', path: ['how'], message: 'Choose how the person confirmed it' });
    if (v.status !== 'confirmed' && v.how)
      ctx.addIssue({ code: 'custom', path: ['how'], message: 'How it was confirmed is only given when confirming' });
    if (v.status === 'rearranged' && !v.startsAt)
      ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'Give the new date and time' });
    if (v.status !== 'rearranged' && (v.startsAt || v.venueKind || v.venueDetails))
      ctx.addIssue({
        code: 'custom',
        path: ['startsAt'],
        message: 'A new time or place is only given when rearranging',
      });
  });
export type ChangeInput = z.input<typeof changeInput>;

export type AppointmentErrorCode =
  | 'not-found'
  | 'invalid'
  | 'support-only'
  | 'already-confirmed'
  | 'already-closed'
  | 'not-confirmed'
  | 'not-yet-started';

export class AppointmentError extends Error {
  constructor(
    readonly code: AppointmentErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Reminder {
  taskId: string;
  dueOn: string;
  owner: string | null;
  done: boolean;
}

export interface AppointmentView {
  id: string;
  kind: AppointmentKind;
  venueKind: VenueKind;
  /** Null for the police when the venue is the person's home: the address stays with the support organisation. */
  venueDetails: string | null;
  venueWarning: string | null;
  startsAt: string;
  startsOn: string;
  /** "Tuesday 29 December 2026 at 10:00" (UK time). */
  startsLabel: string;
  attendees: string | null;
  interpreter: boolean;
  interpreterLanguage: string | null;
  interviewerGender: (typeof INTERVIEWER_GENDERS)[number];
  specialMeasures: (typeof SPECIAL_MEASURES)[number][];
  specialMeasuresNote: string | null;
  status: AppointmentStatus;
  proposedSide: 'police' | 'support';
  proposedBy: string;
  proposedAt: string;
  confirmedAt: string | null;
  confirmedHow: string | null;
  confirmedBy: string | null;
  /** The liaison's note on confirming: support side only. */
  confirmedNote: string | null;
  /** The reminder task: support side only. */
  reminder: Reminder | null;
  outcomeAt: string | null;
  outcomeBy: string | null;
  outcomeNote: string | null;
  rearrangedToId: string | null;
  rearrangedFromId: string | null;
  /** Open and started: attended or missed can be recorded. */
  started: boolean;
}

const LONDON_LABEL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "Tuesday 29 December 2026 at 10:00", UK time. */
export function startsLabel(at: Date): string {
  const p = Object.fromEntries(LONDON_LABEL.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year} at ${LONDON_TIME.format(at)}`;
}

function statusOf(row: Pick<AppointmentsTable, 'confirmed_at' | 'outcome'>): AppointmentStatus {
  return row.outcome ?? (row.confirmed_at ? 'confirmed' : 'proposed');
}

const notFound = () =>
  new AppointmentError('not-found', 'appointment', 'There is no such appointment for your organisation.');

/**
 * Safe-place appointments in a police case. The officer in the case
 * (or a supervisor) and the support organisation's liaison officer or
 * caseworker propose them; only the support side confirms one with the person,
 * and confirming puts a reminder task on the report for the liaison, due the
 * working day before. Either side records the outcome; a missed appointment is
 * a line in the report's history and stays in the table as `outcome = 'missed'`,
 * which the attrition watch reads. Access is the case's (PoliceCaseScope.caseOf):
 * the force (officers only on their own cases) and the support organisation;
 * anyone else gets 'not-found'. Nothing is ever deleted.
 */
export class AppointmentService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly cases: PoliceCaseScope,
    private readonly bankHolidays: BankHolidayService,
    private readonly now: () => Date,
  ) {}

  /** The case as the actor may see it, or AppointmentError 'not-found'. */
  async caseFacts(caseId: string, actor: Actor, trx: Kysely<DB> | Transaction<DB> = this.db): Promise<CaseFacts> {
    try {
      return await this.cases.caseOf(caseId, actor, trx);
    } catch (error) {
      if (error instanceof PoliceCaseError && error.code === 'not-found')
        throw new AppointmentError('not-found', 'case', error.message);
      throw error;
    }
  }

  async propose(caseId: string, actor: Actor, input: ProposeInput): Promise<{ id: string }> {
    const parsed = proposeInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppointmentError('invalid', String(issue.path[0] ?? 'appointment'), issue.message);
    }
    const v = parsed.data;
    const startsAt = new Date(v.startsAt);
    if (startsAt.getTime() <= this.now().getTime())
      throw new AppointmentError('invalid', 'startsAt', 'The appointment must start in the future');
    return this.db.transaction().execute(async (trx) => {
      const c = await this.caseFacts(caseId, actor, trx);
      const id = await this.insert(trx, c, actor, { ...v, startsAt }, null);
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'appointment.proposed',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { appointmentId: id, kind: v.kind, venueKind: v.venueKind },
        },
        trx,
      );
      return { id };
    });
  }

  private async insert(
    trx: Transaction<DB>,
    c: CaseFacts,
    actor: Actor,
    v: Omit<z.output<typeof proposeInput>, 'startsAt'> & { startsAt: Date },
    from: string | null,
  ): Promise<string> {
    const id = randomId();
    const enc = (value: string | undefined, column: string) =>
      value ? this.cipher.encrypt(value, `appointments.${column}`) : null;
    await repo.insert(trx, {
      id,
      case_id: c.id,
      support_org_id: c.supportOrgId,
      police_org_id: c.forceOrgId,
      kind: v.kind,
      venue_kind: v.venueKind,
      venue_enc: enc(v.venueDetails, 'venue'),
      starts_at: v.startsAt.toISOString(),
      starts_on: londonDate(v.startsAt),
      attendees_enc: enc(v.attendees, 'attendees'),
      interpreter: v.interpreter ? 1 : 0,
      interpreter_language_enc: enc(v.interpreterLanguage, 'interpreter_language'),
      interviewer_gender: v.interviewerGender,
      special_measures: JSON.stringify(v.specialMeasures),
      special_measures_note_enc: enc(v.specialMeasuresNote, 'special_measures_note'),
      proposed_side: c.side,
      proposed_by_kind: actor.kind,
      proposed_by_id: actor.id,
      proposed_at: this.now().toISOString(),
      confirmed_at: null,
      confirmed_how: null,
      confirmed_by_kind: null,
      confirmed_by_id: null,
      confirmed_note_enc: null,
      reminder_task_id: null,
      outcome: null,
      outcome_at: null,
      outcome_by_kind: null,
      outcome_by_id: null,
      outcome_note_enc: null,
      rearranged_to_id: null,
      rearranged_from_id: from,
    });
    return id;
  }

  /** The appointment and its case, after the case's access check; 'not-found' for anyone else. */
  private async load(trx: Kysely<DB> | Transaction<DB>, id: string, actor: Actor) {
    const row = await repo.byId(trx, id);
    if (!row || (row.police_org_id !== actor.orgId && row.support_org_id !== actor.orgId)) throw notFound();
    const c = await this.caseFacts(row.case_id, actor, trx).catch((error: unknown) => {
      if (error instanceof AppointmentError && error.code === 'not-found') throw notFound();
      throw error;
    });
    return { row, c };
  }

  /** The case an appointment belongs to (after the access check), for the pages. */
  async caseIdOf(id: string, actor: Actor): Promise<string> {
    return (await this.load(this.db, id, actor)).row.case_id;
  }

  /**
   * Confirms, or records the outcome of, an appointment. Transitions:
   * proposed → confirmed (the support side only: the liaison confirms with the
   * person); proposed or confirmed → rearranged (a new, proposed appointment is
   * made and linked) or cancelled-by-police, at any time; confirmed → attended
   * or missed, once it has started. An outcome is final.
   */
  async change(
    id: string,
    actor: Actor,
    input: ChangeInput,
  ): Promise<{
    id: string;
    status: 'confirmed' | Outcome;
    reminder: { taskId: string; dueOn: string; ownerId: string } | null;
    reminderSkipped: string | null;
    newAppointmentId: string | null;
  }> {
    const parsed = changeInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppointmentError('invalid', String(issue.path[0] ?? 'status'), issue.message);
    }
    const v = parsed.data;
    const now = this.now();
    if (v.status === 'rearranged' && new Date(v.startsAt!).getTime() <= now.getTime())
      throw new AppointmentError('invalid', 'startsAt', 'The new time must be in the future');
    return this.db.transaction().execute(async (trx) => {
      const { row, c } = await this.load(trx, id, actor);
      const at = now.toISOString();
      if (row.outcome)
        throw new AppointmentError(
          'already-closed',
          'status',
          `This appointment is already closed (${STATUS_LABELS[row.outcome].toLowerCase()}).`,
        );

      if (v.status === 'confirmed') {
        if (c.side !== 'support')
          throw new AppointmentError(
            'support-only',
            'status',
            'Only the support organisation confirms an appointment with the person.',
          );
        if (row.confirmed_at)
          throw new AppointmentError(
            'already-confirmed',
            'status',
            'This appointment is already confirmed with the person.',
          );
        const reminder = await this.remind(trx, c, actor, row);
        await repo.update(trx, id, {
          confirmed_at: at,
          confirmed_how: v.how!,
          confirmed_by_kind: actor.kind,
          confirmed_by_id: actor.id,
          confirmed_note_enc: v.note ? this.cipher.encrypt(v.note, 'appointments.confirmed_note') : null,
          reminder_task_id: reminder.task?.taskId ?? null,
        });
        await this.audit.record(
          {
            ...auditActor(actor),
            action: 'appointment.confirmed',
            targetKind: 'police_case',
            targetId: c.id,
            detail: { appointmentId: id, how: v.how!, reminderTaskId: reminder.task?.taskId ?? null },
          },
          trx,
        );
        return {
          id,
          status: 'confirmed' as const,
          reminder: reminder.task,
          reminderSkipped: reminder.skipped,
          newAppointmentId: null,
        };
      }

      const started = new Date(row.starts_at).getTime() <= now.getTime();
      if ((v.status === 'attended' || v.status === 'missed') && !row.confirmed_at)
        throw new AppointmentError(
          'not-confirmed',
          'status',
          'The appointment was never confirmed with the person, so it cannot be attended or missed: record it as rearranged or cancelled.',
        );
      if ((v.status === 'attended' || v.status === 'missed') && !started)
        throw new AppointmentError(
          'not-yet-started',
          'status',
          'The appointment has not started yet: record whether it was attended or missed after it starts.',
        );

      let newAppointmentId: string | null = null;
      if (v.status === 'rearranged') {
        newAppointmentId = await this.insert(
          trx,
          c,
          actor,
          {
            kind: row.kind,
            venueKind: v.venueKind ?? row.venue_kind,
            venueDetails:
              v.venueKind && v.venueKind !== row.venue_kind
                ? v.venueDetails
                : (v.venueDetails ??
                  (row.venue_enc ? await this.cipher.decrypt(row.venue_enc, 'appointments.venue') : undefined)),
            startsAt: new Date(v.startsAt!),
            attendees: row.attendees_enc
              ? await this.cipher.decrypt(row.attendees_enc, 'appointments.attendees')
              : undefined,
            interpreter: row.interpreter === 1,
            interpreterLanguage: row.interpreter_language_enc
              ? await this.cipher.decrypt(row.interpreter_language_enc, 'appointments.interpreter_language')
              : undefined,
            interviewerGender: row.interviewer_gender,
            specialMeasures: JSON.parse(row.special_measures) as (typeof SPECIAL_MEASURES)[number][],
            specialMeasuresNote: row.special_measures_note_enc
              ? await this.cipher.decrypt(row.special_measures_note_enc, 'appointments.special_measures_note')
              : undefined,
          },
          id,
        );
        const nv = (await repo.byId(trx, newAppointmentId))!;
        if ((nv.venue_kind === 'other' || nv.venue_kind === 'other-agency') && !nv.venue_enc)
          throw new AppointmentError('invalid', 'venueDetails', 'Say where the appointment will be');
      }
      await repo.update(trx, id, {
        outcome: v.status,
        outcome_at: at,
        outcome_by_kind: actor.kind,
        outcome_by_id: actor.id,
        outcome_note_enc: v.note ? this.cipher.encrypt(v.note, 'appointments.outcome_note') : null,
        rearranged_to_id: newAppointmentId,
      });
      await syncAttritionWatch(trx, { cases: [c.id] });
      if (v.status === 'missed') {
        // The report's history: the attrition watch follows the outcome column; people read this line.
        await repo.insertCaseEvent(trx, {
          id: randomId(),
          report_id: c.reportId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          kind: 'appointment-missed',
          detail_enc: this.cipher.encrypt(
            JSON.stringify({ appointmentId: id, label: KIND_LABELS[row.kind], startsOn: row.starts_on }),
            'case_events.detail',
          ),
          at,
        });
        await this.audit.record(
          {
            ...auditActor({ ...actor, orgId: c.supportOrgId }),
            action: 'case.appointment-missed',
            targetKind: 'report',
            targetId: c.reportId,
            detail: { appointmentId: id },
          },
          trx,
        );
      }
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'appointment.outcome',
          targetKind: 'police_case',
          targetId: c.id,
          detail: { appointmentId: id, outcome: v.status, ...(newAppointmentId ? { newAppointmentId } : {}) },
        },
        trx,
      );
      return { id, status: v.status, reminder: null, reminderSkipped: null, newAppointmentId };
    });
  }

  /**
   * The reminder on confirmation: a task on the report, "Remind the person:
   * <kind> on <date>", due the last working day before the appointment (today
   * if that has passed). It is the report's assignee's (an active caseworker
   * or liaison), else the person who confirmed; an API token is nobody, so
   * with no assignee there is no task and the answer says why.
   */
  private async remind(
    trx: Transaction<DB>,
    c: CaseFacts,
    actor: Actor,
    row: AppointmentsTable,
  ): Promise<{ task: { taskId: string; dueOn: string; ownerId: string } | null; skipped: string | null }> {
    const report = await repo.report(trx, c.supportOrgId, c.reportId);
    if (!report) throw notFound();
    let owner: string | null = null;
    if (report.assignee_id && (await repo.isCaseHolder(trx, c.supportOrgId, report.assignee_id)))
      owner = report.assignee_id;
    else if (actor.kind === 'user') owner = actor.id;
    if (!owner)
      return {
        task: null,
        skipped:
          'No reminder task: the report has nobody assigned and an API token is not a person. Assign the report, or remind the person yourself.',
      };
    const holidays = await this.bankHolidays.calendar(trx);
    const today = londonDate(this.now());
    const before = workingDayBefore(row.starts_on, holidays);
    const dueOn = before < today ? today : before;
    const taskId = randomId();
    const at = this.now().toISOString();
    await repo.insertTask(trx, {
      id: taskId,
      report_id: report.id,
      org_id: c.supportOrgId,
      title_enc: this.cipher.encrypt(
        `Remind the person: ${KIND_LABELS[row.kind]} on ${startsLabel(new Date(row.starts_at))}`,
        'case_tasks.title',
      ),
      due_on: dueOn,
      owner_id: owner,
      created_by_kind: actor.kind,
      created_by_id: actor.id,
      created_at: at,
      done_at: null,
    });
    await repo.insertCaseEvent(trx, {
      id: randomId(),
      report_id: report.id,
      actor_kind: actor.kind,
      actor_id: actor.id,
      kind: 'task',
      detail_enc: this.cipher.encrypt(JSON.stringify({ taskId }), 'case_events.detail'),
      at,
    });
    await this.audit.record(
      {
        ...auditActor(actor),
        action: 'case.task',
        targetKind: 'report',
        targetId: report.id,
        detail: { taskId, appointmentId: row.id },
      },
      trx,
    );
    return { task: { taskId, dueOn, ownerId: owner }, skipped: null };
  }

  /** A case's appointments in time order, as the actor's side may see them; the read is audited. */
  async list(caseId: string, actor: Actor): Promise<{ case: CaseFacts; items: AppointmentView[] }> {
    const c = await this.caseFacts(caseId, actor);
    const rows = await repo.forCase(this.db, caseId);
    const support = c.side === 'support';
    const found = support
      ? await Promise.all(rows.filter((r) => r.reminder_task_id).map((r) => repo.task(this.db, r.reminder_task_id!)))
      : [];
    const tasks = new Map(found.flatMap((task) => (task ? [[task.id, task] as const] : [])));
    const names = await actorNames(this.db, this.cipher, [
      ...rows.flatMap((r) => [
        { kind: r.proposed_by_kind, id: r.proposed_by_id },
        { kind: r.confirmed_by_kind ?? '', id: r.confirmed_by_id },
        { kind: r.outcome_by_kind ?? '', id: r.outcome_by_id },
      ]),
      ...[...tasks.values()].map((t) => ({ kind: 'user', id: t.owner_id })),
    ]);
    const nameOf = (kind: string | null, id: string | null, side?: 'police' | 'support') =>
      (kind && id ? names.get(`${kind}:${id}`) : undefined) ??
      (side === 'police' ? c.forceName : side === 'support' ? c.supportName : 'unknown');
    const dec = async (value: string | null, column: string) =>
      value ? this.cipher.decrypt(value, `appointments.${column}`) : null;
    const now = this.now().getTime();
    const items = await Promise.all(
      rows.map(async (r): Promise<AppointmentView> => {
        const task = r.reminder_task_id ? tasks.get(r.reminder_task_id) : undefined;
        return {
          id: r.id,
          kind: r.kind,
          venueKind: r.venue_kind,
          venueDetails: !support && r.venue_kind === 'home' ? null : await dec(r.venue_enc, 'venue'),
          venueWarning: r.venue_kind === 'police-station' ? POLICE_STATION_WARNING : null,
          startsAt: r.starts_at,
          startsOn: r.starts_on,
          startsLabel: startsLabel(new Date(r.starts_at)),
          attendees: await dec(r.attendees_enc, 'attendees'),
          interpreter: r.interpreter === 1,
          interpreterLanguage: await dec(r.interpreter_language_enc, 'interpreter_language'),
          interviewerGender: r.interviewer_gender,
          specialMeasures: JSON.parse(r.special_measures) as (typeof SPECIAL_MEASURES)[number][],
          specialMeasuresNote: await dec(r.special_measures_note_enc, 'special_measures_note'),
          status: statusOf(r),
          proposedSide: r.proposed_side,
          proposedBy: nameOf(r.proposed_by_kind, r.proposed_by_id, r.proposed_side),
          proposedAt: r.proposed_at,
          confirmedAt: r.confirmed_at,
          confirmedHow: r.confirmed_how,
          confirmedBy: r.confirmed_at ? nameOf(r.confirmed_by_kind, r.confirmed_by_id, 'support') : null,
          confirmedNote: support ? await dec(r.confirmed_note_enc, 'confirmed_note') : null,
          reminder: task
            ? {
                taskId: task.id,
                dueOn: task.due_on,
                owner: names.get(`user:${task.owner_id}`) ?? null,
                done: task.done_at !== null,
              }
            : null,
          outcomeAt: r.outcome_at,
          outcomeBy: r.outcome_at ? nameOf(r.outcome_by_kind, r.outcome_by_id) : null,
          outcomeNote: await dec(r.outcome_note_enc, 'outcome_note'),
          rearrangedToId: r.rearranged_to_id,
          rearrangedFromId: r.rearranged_from_id,
          started: new Date(r.starts_at).getTime() <= now,
        };
      }),
    );
    await this.audit.record({
      ...auditActor(actor),
      action: 'appointments.viewed',
      targetKind: 'police_case',
      targetId: caseId,
      detail: { count: rows.length },
    });
    return { case: c, items };
  }
}
