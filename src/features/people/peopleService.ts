import type { Kysely, Selectable, Transaction } from 'kysely';
import type { ContactPointsTable, DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { peopleRepository as repo } from './peopleRepository.ts';
import { displayPhone, normalisePhone } from '../identifiers/index.ts';
import { PHONE_KINDS } from './schemas.ts';
import { syncAttritionWatch } from '../attrition/index.ts';
import {
  CHANNELS,
  CONTACT_KINDS,
  INTERPRETER,
  OUTCOMES,
  RETIRE_REASONS,
  SUCCESSFUL_OUTCOMES,
  type AttemptInput,
  type Channel,
  type ContactKind,
  type ContactPointInput,
  type Interpreter,
  type Outcome,
  type PersonInput,
  type RetireReason,
} from './schemas.ts';

const DAY_MS = 86_400_000;

/** A problem with what was asked, naming the form field it belongs to. */
export class PeopleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LastContact {
  /** When they were last in touch (reached, or seen by outreach), or null if never. */
  lastSuccessfulAt: string | null;
  /** Whole days since then, or null if never. */
  daysSinceContact: number | null;
}

export interface ContactPointSummary {
  id: string;
  kind: ContactKind;
  kindLabel: string;
  /** Never the value: a phone's last three digits at most, to tell numbers apart. */
  hint: string;
  safeToLeaveMessage: boolean;
  safeTimes: string | null;
  codeWord: string | null;
  source: 'staff' | 'outreach' | 'api';
  /** Given via outreach and not yet confirmed by a caseworker. */
  unconfirmed: boolean;
  addedAt: string;
  addedBy: string;
  lastConfirmedAt: string | null;
  retiredAt: string | null;
  retiredReason: RetireReason | null;
  retiredReasonLabel: string | null;
}

export interface PersonView extends LastContact {
  id: string;
  workingName: string;
  otherNames: string[];
  languages: string[];
  interpreter: Interpreter;
  interpreterLabel: string;
  notes: string;
  createdAt: string;
  mergedInto: string | null;
  mergedAt: string | null;
  reports: { reference: string; status: string; submittedAt: string }[];
  contactPoints: ContactPointSummary[];
  attempts: {
    id: string;
    at: string;
    actor: string;
    channel: string;
    channelLabel: string;
    outcome: string;
    outcomeLabel: string;
    contactPointId: string | null;
    contactPointLabel: string | null;
    note: string | null;
  }[];
  history: { at: string; actor: string; text: string }[];
}

/**
 * People and resilient contact: person records that reports link to, their
 * contact points (retired with a reason, never deleted), the contact attempts
 * log and merging. Every read of a person or a contact value is audited.
 */
export class PeopleService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  private nameIndex(name: string): string {
    return this.cipher.blindIndex(name.trim().toLowerCase().replace(/\s+/g, ' '), 'people.working_name');
  }

  /** `outer`: run inside the caller's transaction (a police contact request makes a person with its task). */
  async create(actor: Actor, input: PersonInput, reportId?: string, outer?: Transaction<DB>): Promise<{ id: string }> {
    const id = randomId();
    const at = this.now().toISOString();
    const run = async (trx: Transaction<DB>) => {
      if (reportId && !(await repo.reportById(trx, actor.orgId, reportId)))
        throw new PeopleError('report', 'There is no such report in your organisation');
      await repo.insertPerson(trx, {
        id,
        org_id: actor.orgId,
        working_name_enc: this.cipher.encrypt(input.workingName, 'people.working_name'),
        working_name_index: this.nameIndex(input.workingName),
        other_names_enc: this.cipher.encrypt(JSON.stringify(input.otherNames), 'people.other_names'),
        languages_enc: this.cipher.encrypt(JSON.stringify(input.languages), 'people.languages'),
        interpreter_enc: this.cipher.encrypt(input.interpreter, 'people.interpreter'),
        notes_enc: this.cipher.encrypt(input.notes, 'people.notes'),
        created_by_kind: actor.kind,
        created_by_id: actor.id,
        created_at: at,
        merged_into: null,
        merged_at: null,
      });
      await this.event(trx, actor, id, 'created', {});
      await this.audit.record(
        { ...auditActor(actor), action: 'person.created', targetKind: 'person', targetId: id },
        trx,
      );
      if (reportId) await this.link(trx, actor, id, reportId);
    };
    await (outer ? run(outer) : this.db.transaction().execute(run));
    return { id };
  }

  /** Working names (not merged records), newest first; `name` finds exact matches (case and spacing ignored). */
  async list(
    orgId: string,
    opts: { name?: string; page?: number } = {},
  ): Promise<{ items: ({ id: string; workingName: string; createdAt: string } & LastContact)[]; hasMore: boolean }> {
    const page = Math.max(1, opts.page ?? 1);
    const rows = await repo.list(this.db, orgId, {
      nameIndex: opts.name ? this.nameIndex(opts.name) : undefined,
      limit: 51,
      offset: (page - 1) * 50,
    });
    const shown = rows.slice(0, 50);
    const last = await this.lastContact(shown.map((r) => r.id));
    const items = await Promise.all(
      shown.map(async (r) => ({
        id: r.id,
        workingName: await this.cipher.decrypt(r.working_name_enc, 'people.working_name'),
        createdAt: r.created_at,
        ...(last.get(r.id) ?? NEVER),
      })),
    );
    return { items, hasMore: rows.length > 50 };
  }

  /** True when the person exists in this organisation (merged records included). */
  async exists(orgId: string, personId: string): Promise<boolean> {
    return (await repo.person(this.db, orgId, personId)) !== undefined;
  }

  async workingName(orgId: string, personId: string): Promise<string | undefined> {
    const row = await repo.person(this.db, orgId, personId);
    return row ? this.cipher.decrypt(row.working_name_enc, 'people.working_name') : undefined;
  }

  /** The whole person record, within the actor's organisation (undefined: answer 404). The view is audited. */
  async view(actor: Actor, personId: string): Promise<PersonView | undefined> {
    const row = await repo.person(this.db, actor.orgId, personId);
    if (!row) return undefined;
    await this.audit.record({
      ...auditActor(actor),
      action: 'person.viewed',
      targetKind: 'person',
      targetId: personId,
    });
    const [reports, points, attempts, events, last] = await Promise.all([
      repo.reportsOf(this.db, actor.orgId, personId),
      repo.contactPoints(this.db, personId),
      repo.attempts(this.db, personId),
      repo.events(this.db, personId),
      this.lastContact([personId]),
    ]);
    const names = await actorNames(this.db, this.cipher, [
      ...points.map((p) => ({ kind: p.added_by_kind, id: p.added_by_id })),
      ...attempts.map((a) => ({ kind: a.actor_kind, id: a.actor_id })),
      ...events.map((e) => ({ kind: e.actor_kind, id: e.actor_id })),
    ]);
    const who = (kind: string, id: string | null) =>
      names.get(`${kind}:${id}`) ?? (kind === 'token' ? 'API' : 'someone no longer here');
    const contactPoints = await Promise.all(points.map((p) => this.summary(p, who(p.added_by_kind, p.added_by_id))));
    const pointLabels = new Map(contactPoints.map((p) => [p.id, `${p.kindLabel}${p.hint ? ` ${p.hint}` : ''}`]));
    const interpreter = (await this.cipher.decrypt(row.interpreter_enc, 'people.interpreter')) as Interpreter;
    return {
      id: row.id,
      workingName: await this.cipher.decrypt(row.working_name_enc, 'people.working_name'),
      otherNames: JSON.parse(await this.cipher.decrypt(row.other_names_enc, 'people.other_names')) as string[],
      languages: JSON.parse(await this.cipher.decrypt(row.languages_enc, 'people.languages')) as string[],
      interpreter,
      interpreterLabel: INTERPRETER[interpreter] ?? interpreter,
      notes: await this.cipher.decrypt(row.notes_enc, 'people.notes'),
      createdAt: row.created_at,
      mergedInto: row.merged_into,
      mergedAt: row.merged_at,
      reports: reports.map((r) => ({ reference: r.reference, status: r.status, submittedAt: r.submitted_at })),
      contactPoints,
      attempts: await Promise.all(
        attempts.map(async (a) => ({
          id: a.id,
          at: a.at,
          actor: who(a.actor_kind, a.actor_id),
          channel: a.channel,
          channelLabel: CHANNELS[a.channel as Channel] ?? a.channel,
          outcome: a.outcome,
          outcomeLabel: OUTCOMES[a.outcome as Outcome] ?? a.outcome,
          contactPointId: a.contact_point_id,
          contactPointLabel: a.contact_point_id ? (pointLabels.get(a.contact_point_id) ?? null) : null,
          note: a.note_enc ? await this.cipher.decrypt(a.note_enc, 'contact_attempts.note') : null,
        })),
      ),
      history: await Promise.all(
        events.map(async (e) => ({
          at: e.at,
          actor: who(e.actor_kind, e.actor_id),
          text: historyText(
            e.kind,
            JSON.parse(await this.cipher.decrypt(e.detail_enc, 'person_events.detail')) as Record<
              string,
              string | number
            >,
          ),
        })),
      ),
      ...(last.get(personId) ?? NEVER),
    };
  }

  /** The person a report is linked to, for the case page (the case page's own view is audited there). */
  async forReport(
    orgId: string,
    reportId: string,
  ): Promise<({ id: string; workingName: string } & LastContact) | null> {
    const report = await repo.reportById(this.db, orgId, reportId);
    if (!report?.person_id) return null;
    const row = await repo.person(this.db, orgId, report.person_id);
    if (!row) return null;
    const last = await this.lastContact([row.id]);
    return {
      id: row.id,
      workingName: await this.cipher.decrypt(row.working_name_enc, 'people.working_name'),
      ...(last.get(row.id) ?? NEVER),
    };
  }

  /** Links a report (by reference, in the actor's organisation) to this person. */
  async linkReport(actor: Actor, personId: string, reference: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const person = await repo.person(trx, actor.orgId, personId);
      if (!person) throw new PeopleError('person', 'There is no such person in your organisation');
      if (person.merged_into)
        throw new PeopleError('person', 'This record was merged into another: link the report to that one');
      const report = await repo.reportInOrg(trx, actor.orgId, reference.trim().toUpperCase());
      if (!report) throw new PeopleError('reference', 'There is no report with that reference in your organisation');
      await this.link(trx, actor, personId, report.id);
    });
  }

  private async link(trx: Transaction<DB>, actor: Actor, personId: string, reportId: string): Promise<void> {
    const report = await repo.reportById(trx, actor.orgId, reportId);
    if (!report) throw new PeopleError('reference', 'There is no report with that reference in your organisation');
    if (report.person_id === personId) return;
    await repo.linkReport(trx, reportId, personId);
    await syncAttritionWatch(trx, { reports: [reportId] });
    await this.event(trx, actor, personId, 'report-linked', { reference: report.reference });
    await this.audit.record(
      {
        ...auditActor(actor),
        action: 'report.person-linked',
        targetKind: 'report',
        targetId: reportId,
        detail: { personId, previous: report.person_id },
      },
      trx,
    );
  }

  /** Adds a contact point; phone kinds are normalised (an impossible number is a PeopleError on `value`). */
  async addContactPoint(
    actor: Actor,
    personId: string,
    input: ContactPointInput,
    source: 'staff' | 'outreach' | 'api' = 'staff',
    trx?: Transaction<DB>,
  ): Promise<{ id: string }> {
    const run = async (tx: Transaction<DB>) => {
      const person = await repo.person(tx, actor.orgId, personId);
      if (!person || person.merged_into)
        throw new PeopleError('person', 'There is no such person in your organisation');
      const value = this.normaliseValue(input.kind, input.value);
      const id = randomId();
      const at = this.now().toISOString();
      await repo.insertContactPoint(tx, {
        id,
        org_id: actor.orgId,
        person_id: personId,
        kind: input.kind,
        value_enc: this.cipher.encrypt(value, 'contact_points.value'),
        safe_message: input.safeToLeaveMessage ? 'yes' : 'no',
        safe_times_enc: input.safeTimes ? this.cipher.encrypt(input.safeTimes, 'contact_points.safe_times') : null,
        code_word_enc: input.codeWord ? this.cipher.encrypt(input.codeWord, 'contact_points.code_word') : null,
        source,
        added_by_kind: actor.kind,
        added_by_id: actor.id,
        added_at: at,
        // Staff add what the person told them; a number passed on by outreach waits for a caseworker to confirm it.
        last_confirmed_at: source === 'outreach' ? null : at,
        retired_at: null,
        retired_reason: null,
      });
      await this.event(tx, actor, personId, 'contact-point-added', { contactPointId: id, kind: input.kind, source });
      await syncAttritionWatch(tx, { people: [personId] });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'contact-point.added',
          targetKind: 'person',
          targetId: personId,
          detail: { contactPointId: id, kind: input.kind, source },
        },
        tx,
      );
      return { id };
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  normaliseValue(kind: ContactKind, raw: string): string {
    if (!(PHONE_KINDS as readonly string[]).includes(kind)) return raw.trim();
    const phone = normalisePhone(raw);
    if (!phone) throw new PeopleError('value', 'Enter a real phone number, like 07700 900123 or +44 7700 900123');
    return phone;
  }

  /** Retires a contact point with a reason. It stays in the record and its history; nothing is deleted. */
  async retireContactPoint(
    actor: Actor,
    personId: string,
    contactPointId: string,
    reason: RetireReason,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const point = await repo.contactPoint(trx, actor.orgId, personId, contactPointId);
      if (!point) throw new PeopleError('contactPoint', 'There is no such contact point');
      if (point.retired_at) throw new PeopleError('reason', 'This contact point is already retired');
      await repo.updateContactPoint(trx, contactPointId, {
        retired_at: this.now().toISOString(),
        retired_reason: reason,
      });
      await syncAttritionWatch(trx, { people: [personId] });
      await this.event(trx, actor, personId, 'contact-point-retired', { contactPointId, kind: point.kind, reason });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'contact-point.retired',
          targetKind: 'person',
          targetId: personId,
          detail: { contactPointId, reason },
        },
        trx,
      );
    });
  }

  /** Marks a contact point as confirmed working now (this also confirms a number given via outreach). */
  async confirmContactPoint(actor: Actor, personId: string, contactPointId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const point = await repo.contactPoint(trx, actor.orgId, personId, contactPointId);
      if (!point) throw new PeopleError('contactPoint', 'There is no such contact point');
      if (point.retired_at)
        throw new PeopleError(
          'contactPoint',
          'A retired contact point cannot be confirmed: add it again if it works again',
        );
      await repo.updateContactPoint(trx, contactPointId, { last_confirmed_at: this.now().toISOString() });
      await this.event(trx, actor, personId, 'contact-point-confirmed', { contactPointId, kind: point.kind });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'contact-point.confirmed',
          targetKind: 'person',
          targetId: personId,
          detail: { contactPointId },
        },
        trx,
      );
    });
  }

  /** One contact point with its value, for calling: the read is audited. Undefined when not in this person's record. */
  async contactPointForCall(
    actor: Actor,
    personId: string,
    contactPointId: string,
  ): Promise<(ContactPointSummary & { value: string; displayValue: string; workingName: string }) | undefined> {
    const person = await repo.person(this.db, actor.orgId, personId);
    const point = person ? await repo.contactPoint(this.db, actor.orgId, personId, contactPointId) : undefined;
    if (!person || !point) return undefined;
    await this.audit.record({
      ...auditActor(actor),
      action: 'contact-point.viewed',
      targetKind: 'person',
      targetId: personId,
      detail: { contactPointId },
    });
    const value = await this.cipher.decrypt(point.value_enc, 'contact_points.value');
    const names = await actorNames(this.db, this.cipher, [{ kind: point.added_by_kind, id: point.added_by_id }]);
    return {
      ...(await this.summary(
        point,
        names.get(`${point.added_by_kind}:${point.added_by_id}`) ?? 'someone no longer here',
      )),
      value,
      displayValue: (PHONE_KINDS as readonly string[]).includes(point.kind) ? displayPhone(value) : value,
      workingName: await this.cipher.decrypt(person.working_name_enc, 'people.working_name'),
    };
  }

  /** Records a contact attempt (who, when, which point, channel, outcome). */
  async recordAttempt(
    actor: Actor,
    personId: string,
    input: AttemptInput | (Omit<AttemptInput, 'outcome'> & { outcome: Outcome }),
    opts: { reachMeId?: string; trx?: Transaction<DB> } = {},
  ): Promise<{ id: string; at: string }> {
    const run = async (tx: Transaction<DB>) => {
      const person = await repo.person(tx, actor.orgId, personId);
      if (!person || person.merged_into)
        throw new PeopleError('person', 'There is no such person in your organisation');
      if (input.contactPointId && !(await repo.contactPoint(tx, actor.orgId, personId, input.contactPointId))) {
        throw new PeopleError('contactPointId', 'Choose one of their contact points');
      }
      const id = randomId();
      const at = this.now().toISOString();
      await repo.insertAttempt(tx, {
        id,
        org_id: actor.orgId,
        person_id: personId,
        contact_point_id: input.contactPointId ?? null,
        reach_me_id: opts.reachMeId ?? null,
        channel: input.channel,
        outcome: input.outcome,
        note_enc: input.note ? this.cipher.encrypt(input.note, 'contact_attempts.note') : null,
        actor_kind: actor.kind,
        actor_id: actor.id,
        at,
      });
      // Reaching them on a point shows it works; "not in service" is for the caseworker to retire deliberately.
      if (input.contactPointId && input.outcome === 'reached')
        await repo.updateContactPoint(tx, input.contactPointId, { last_confirmed_at: at });
      await syncAttritionWatch(tx, { people: [personId] });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'contact-attempt.recorded',
          targetKind: 'person',
          targetId: personId,
          detail: { attemptId: id, outcome: input.outcome, channel: input.channel },
        },
        tx,
      );
      return { id, at };
    };
    return opts.trx ? run(opts.trx) : this.db.transaction().execute(run);
  }

  /**
   * Last successful contact and days since, for many people at once (the
   * inbox uses this for the people its page of reports links to).
   */
  async lastContact(personIds: string[]): Promise<Map<string, LastContact>> {
    const result = new Map<string, LastContact>();
    const ids = [...new Set(personIds.filter(Boolean))];
    for (const id of ids) result.set(id, { ...NEVER });
    if (!ids.length) return result;
    const now = this.now().getTime();
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await repo.lastAttempts(this.db, ids.slice(i, i + 500), SUCCESSFUL_OUTCOMES)) {
        // An aggregate: normalise to the ISO string every other timestamp is, whatever the driver gave back.
        const at = new Date(row.last_at as string | Date).toISOString();
        result.set(row.person_id, {
          lastSuccessfulAt: at,
          daysSinceContact: Math.max(0, Math.floor((now - Date.parse(at)) / DAY_MS)),
        });
      }
    }
    return result;
  }

  /** Other (not merged) people in the organisation, to choose one to merge into this record. */
  async mergeCandidates(
    orgId: string,
    personId: string,
  ): Promise<{ id: string; workingName: string; createdAt: string }[]> {
    const rows = await repo.list(this.db, orgId, { limit: 500, offset: 0 });
    return Promise.all(
      rows
        .filter((r) => r.id !== personId)
        .map(async (r) => ({
          id: r.id,
          workingName: await this.cipher.decrypt(r.working_name_enc, 'people.working_name'),
          createdAt: r.created_at,
        })),
    );
  }

  /**
   * Merges `mergedId` into `survivorId`: its reports, contact points,
   * attempts and reach-me entries move to the survivor; its names, languages
   * and notes are added to the survivor's; the merged record is kept, marked
   * as merged into the survivor. Recorded in both histories and the audit trail.
   */
  async merge(
    actor: Actor,
    survivorId: string,
    mergedId: string,
  ): Promise<{ reports: number; contactPoints: number; attempts: number; reachMe: number }> {
    if (survivorId === mergedId) throw new PeopleError('other', 'Choose a different person record to merge');
    return this.db.transaction().execute(async (trx) => {
      const survivor = await repo.person(trx, actor.orgId, survivorId);
      const merged = await repo.person(trx, actor.orgId, mergedId);
      if (!survivor || survivor.merged_into)
        throw new PeopleError('person', 'There is no such person in your organisation');
      if (!merged || merged.merged_into)
        throw new PeopleError('other', 'Choose a person record in your organisation that has not been merged');
      const moved = await repo.moveAll(trx, actor.orgId, mergedId, survivorId);
      const dec = (v: string, c: string) => this.cipher.decrypt(v, c);
      const sOther = JSON.parse(await dec(survivor.other_names_enc, 'people.other_names')) as string[];
      const mOther = JSON.parse(await dec(merged.other_names_enc, 'people.other_names')) as string[];
      const sName = await dec(survivor.working_name_enc, 'people.working_name');
      const mName = await dec(merged.working_name_enc, 'people.working_name');
      const otherNames = uniq([...sOther, mName, ...mOther].filter((n) => n.toLowerCase() !== sName.toLowerCase()));
      const languages = uniq([
        ...(JSON.parse(await dec(survivor.languages_enc, 'people.languages')) as string[]),
        ...(JSON.parse(await dec(merged.languages_enc, 'people.languages')) as string[]),
      ]);
      const sInterp = await dec(survivor.interpreter_enc, 'people.interpreter');
      const mInterp = await dec(merged.interpreter_enc, 'people.interpreter');
      const sNotes = await dec(survivor.notes_enc, 'people.notes');
      const mNotes = await dec(merged.notes_enc, 'people.notes');
      const at = this.now().toISOString();
      await repo.updatePerson(trx, survivorId, {
        other_names_enc: this.cipher.encrypt(JSON.stringify(otherNames), 'people.other_names'),
        languages_enc: this.cipher.encrypt(JSON.stringify(languages), 'people.languages'),
        interpreter_enc: this.cipher.encrypt(
          sInterp === 'unknown' ? mInterp : sInterp === 'yes' || mInterp === 'yes' ? 'yes' : sInterp,
          'people.interpreter',
        ),
        notes_enc: this.cipher.encrypt(
          mNotes ? [sNotes, `From the merged record (${mName}):\n${mNotes}`].filter(Boolean).join('\n\n') : sNotes,
          'people.notes',
        ),
      });
      await repo.updatePerson(trx, mergedId, { merged_into: survivorId, merged_at: at });
      await syncAttritionWatch(trx, { people: [survivorId] });
      await this.event(trx, actor, survivorId, 'merged-in', { from: mergedId, ...moved });
      await this.event(trx, actor, mergedId, 'merged-into', { into: survivorId, ...moved });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'person.merged',
          targetKind: 'person',
          targetId: survivorId,
          detail: { merged: mergedId, ...moved },
        },
        trx,
      );
      return moved;
    });
  }

  private async summary(p: Selectable<ContactPointsTable>, addedBy: string): Promise<ContactPointSummary> {
    const phone = (PHONE_KINDS as readonly string[]).includes(p.kind);
    const value = phone ? await this.cipher.decrypt(p.value_enc, 'contact_points.value') : '';
    return {
      id: p.id,
      kind: p.kind as ContactKind,
      kindLabel: CONTACT_KINDS[p.kind as ContactKind] ?? p.kind,
      hint: phone ? `ending ${value.slice(-3)}` : '',
      safeToLeaveMessage: p.safe_message === 'yes',
      safeTimes: p.safe_times_enc ? await this.cipher.decrypt(p.safe_times_enc, 'contact_points.safe_times') : null,
      codeWord: p.code_word_enc ? await this.cipher.decrypt(p.code_word_enc, 'contact_points.code_word') : null,
      source: p.source,
      unconfirmed: p.source === 'outreach' && !p.last_confirmed_at,
      addedAt: p.added_at,
      addedBy,
      lastConfirmedAt: p.last_confirmed_at,
      retiredAt: p.retired_at,
      retiredReason: p.retired_reason as RetireReason | null,
      retiredReasonLabel: p.retired_reason
        ? (RETIRE_REASONS[p.retired_reason as RetireReason] ?? p.retired_reason)
        : null,
    };
  }

  /** Adds an entry to the person's history (kinds are listed in historyText). */
  async event(
    trx: Transaction<DB>,
    actor: Actor,
    personId: string,
    kind: string,
    detail: Record<string, string | number | null>,
  ): Promise<void> {
    await repo.insertEvent(trx, {
      id: randomId(),
      person_id: personId,
      actor_kind: actor.kind,
      actor_id: actor.id,
      kind,
      detail_enc: this.cipher.encrypt(JSON.stringify(detail), 'person_events.detail'),
      at: this.now().toISOString(),
    });
  }
}

const NEVER: LastContact = { lastSuccessfulAt: null, daysSinceContact: null };

function uniq(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function historyText(kind: string, d: Record<string, string | number>): string {
  const kindLabel = (k: unknown) => CONTACT_KINDS[k as ContactKind] ?? String(k);
  switch (kind) {
    case 'created':
      return 'Person record created';
    case 'report-linked':
      return `Report ${d.reference} linked`;
    case 'contact-point-added':
      return d.source === 'outreach'
        ? `${kindLabel(d.kind)} given via outreach, not yet confirmed`
        : `${kindLabel(d.kind)} added`;
    case 'contact-point-retired':
      return `${kindLabel(d.kind)} retired: ${RETIRE_REASONS[d.reason as RetireReason] ?? d.reason}`;
    case 'contact-point-confirmed':
      return `${kindLabel(d.kind)} confirmed working`;
    case 'merged-in':
      return `Another record merged into this one (${d.reports} reports, ${d.contactPoints} contact points, ${d.attempts} attempts moved)`;
    case 'merged-into':
      return `Merged into another record (${d.reports} reports, ${d.contactPoints} contact points, ${d.attempts} attempts moved)`;
    case 'reach-me-added':
      return 'Added to the reach-me list';
    case 'reach-me-closed':
      return 'Reach-me entry closed';
    default:
      return kind;
  }
}
