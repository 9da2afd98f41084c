import type { Kysely } from 'kysely';
import { z } from 'zod';
import { textField } from '../../platform/validation/text.ts';
import { addYears, isoDate, ukDate } from '../../platform/validation/isoDate.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { caseWorkRepository as repo } from './caseWorkRepository.ts';
import { RISK_FLAGS, type Triage } from './triage.ts';

export const noteSchema = z.object({
  body: textField('A note', 10_000, 'Write the note'),
});

export const taskSchema = z.object({
  title: textField('A task', 200, 'Say what needs doing'),
  dueOn: isoDate('Enter a real due date, like 2026-12-01'),
  owner: z.string().min(1, 'Choose who will do it').max(64),
});
export type TaskInput = z.infer<typeof taskSchema>;

export class CaseWorkError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CaseTask {
  id: string;
  title: string;
  dueOn: string;
  ownerId: string;
  owner: string;
  createdAt: string;
  doneAt: string | null;
  overdue: boolean;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  kind: 'triage' | 'consent' | 'message-in' | 'message-out' | 'note' | 'task';
  text: string;
  /** Free text shown under the entry (a note, a message). */
  body?: string;
}

/**
 * Casework beyond triage: internal notes (encrypted; never part of what the
 * person sees), tasks with a due date and an owner, and the case timeline
 * that puts every kind of event in one list with who did it.
 */
export class CaseWork {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly triage: Triage,
    private readonly now: () => Date,
  ) {}

  /** The report's id, only within the actor's organisation (undefined otherwise: answer 404). */
  async reportId(orgId: string, reference: string): Promise<string | undefined> {
    return (await repo.reportInOrg(this.db, orgId, reference))?.id;
  }

  async addNote(actor: Actor, reportId: string, body: string): Promise<{ id: string; createdAt: string }> {
    const id = randomId();
    const createdAt = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertNote(trx, {
        id,
        report_id: reportId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        body_enc: this.cipher.encrypt(body, 'case_notes.body'),
        created_at: createdAt,
      });
      await repo.insertEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        kind: 'note',
        detail_enc: this.cipher.encrypt(JSON.stringify({ noteId: id }), 'case_events.detail'),
        at: createdAt,
      });
      await this.audit.record(
        { ...auditActor(actor), action: 'case.note', targetKind: 'report', targetId: reportId, detail: { noteId: id } },
        trx,
      );
    });
    return { id, createdAt };
  }

  async addTask(actor: Actor, reportId: string, input: TaskInput): Promise<{ id: string }> {
    if (!(await this.triage.caseHolders(actor.orgId)).some((h) => h.id === input.owner)) {
      throw new CaseWorkError('owner', 'Choose someone in your organisation who can look after cases');
    }
    // A date typed a thousand years out sits at the bottom of every list for ever: keep due dates near today.
    const today = ukDate(this.now());
    if (input.dueOn > addYears(today, 10) || input.dueOn < addYears(today, -10))
      throw new CaseWorkError('dueOn', 'The due date must be within ten years of today');
    const id = randomId();
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertTask(trx, {
        id,
        report_id: reportId,
        org_id: actor.orgId,
        title_enc: this.cipher.encrypt(input.title, 'case_tasks.title'),
        due_on: input.dueOn,
        owner_id: input.owner,
        created_by_kind: actor.kind,
        created_by_id: actor.id,
        created_at: at,
        done_at: null,
      });
      await repo.insertEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        kind: 'task',
        detail_enc: this.cipher.encrypt(JSON.stringify({ taskId: id }), 'case_events.detail'),
        at,
      });
      await this.audit.record(
        { ...auditActor(actor), action: 'case.task', targetKind: 'report', targetId: reportId, detail: { taskId: id } },
        trx,
      );
    });
    return { id };
  }

  /** Marks a task done or not done; unknown tasks (or another case's) are an error, nothing changes. */
  async setTaskDone(actor: Actor, reportId: string, taskId: string, done: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const task = await repo.task(trx, reportId, taskId);
      if (!task) throw new CaseWorkError('task', 'There is no such task on this case');
      if ((task.done_at !== null) === done) return;
      const at = this.now().toISOString();
      await repo.setTaskDone(trx, taskId, done ? at : null);
      const kind = done ? 'task-done' : 'task-reopened';
      await repo.insertEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        kind,
        detail_enc: this.cipher.encrypt(JSON.stringify({ taskId }), 'case_events.detail'),
        at,
      });
      await this.audit.record(
        { ...auditActor(actor), action: `case.${kind}`, targetKind: 'report', targetId: reportId, detail: { taskId } },
        trx,
      );
    });
  }

  async notes(reportId: string): Promise<{ id: string; body: string; createdAt: string; actor: string }[]> {
    const rows = await repo.notes(this.db, reportId);
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: r.actor_kind, id: r.actor_id })),
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        body: await this.cipher.decrypt(r.body_enc, 'case_notes.body'),
        createdAt: r.created_at,
        actor: names.get(`${r.actor_kind}:${r.actor_id}`) ?? 'system',
      })),
    );
  }

  /** The case's tasks: open ones first, earliest due first. */
  async tasks(reportId: string): Promise<CaseTask[]> {
    const rows = await repo.tasks(this.db, reportId);
    const owners = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: 'user', id: r.owner_id })),
    );
    const today = this.today();
    const tasks = await Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        title: await this.cipher.decrypt(r.title_enc, 'case_tasks.title'),
        dueOn: r.due_on,
        ownerId: r.owner_id,
        owner: owners.get(`user:${r.owner_id}`) ?? 'unknown',
        createdAt: r.created_at,
        doneAt: r.done_at,
        overdue: r.done_at === null && r.due_on < today,
      })),
    );
    return tasks.sort(
      (a, b) => Number(a.doneAt !== null) - Number(b.doneAt !== null) || a.dueOn.localeCompare(b.dueOn),
    );
  }

  /** "My tasks": open tasks this person owns, overdue first (then by due date). */
  async myTasks(
    orgId: string,
    userId: string,
  ): Promise<{ id: string; reference: string; title: string; dueOn: string; overdue: boolean }[]> {
    const today = this.today();
    const rows = await repo.openTasksOwnedBy(this.db, orgId, userId);
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        reference: r.reference,
        title: await this.cipher.decrypt(r.title_enc, 'case_tasks.title'),
        dueOn: r.due_on,
        overdue: r.due_on < today,
      })),
    );
  }

  /** The timeline for someone reading it outside the case page (which audits its own view): the read is audited. */
  async readTimeline(actor: Actor, reportId: string): Promise<TimelineEntry[]> {
    await this.audit.record({
      ...auditActor(actor),
      action: 'case.history.viewed',
      targetKind: 'report',
      targetId: reportId,
    });
    return this.timeline(reportId);
  }

  /**
   * The whole history of a case in one list, oldest first: triage changes,
   * notes and tasks (case events), choices (the consent ledger) and messages.
   */
  async timeline(reportId: string): Promise<TimelineEntry[]> {
    const [events, notes, tasks, consents, messages] = await Promise.all([
      this.triage.history(reportId),
      repo.notes(this.db, reportId),
      repo.tasks(this.db, reportId),
      repo.consentEntries(this.db, reportId),
      repo.messages(this.db, reportId),
    ]);
    const names = await actorNames(this.db, this.cipher, [
      ...consents.flatMap((c) => [
        { kind: 'user', id: c.recorded_by },
        { kind: 'token', id: c.recorded_by_token ?? null },
      ]),
      ...messages.map((m) => ({ kind: 'user', id: m.author_id })),
      ...tasks.map((t) => ({ kind: 'user', id: t.owner_id })),
      ...events
        .filter((e) => e.kind === 'assigned')
        .map((e) => ({ kind: 'user', id: (e.detail.to as string | null) ?? null })),
    ]);
    const noteBodies = new Map(
      await Promise.all(
        notes.map(async (n) => [n.id, await this.cipher.decrypt(n.body_enc, 'case_notes.body')] as const),
      ),
    );
    const taskTitles = new Map(
      await Promise.all(
        tasks.map(
          async (t) =>
            [
              t.id,
              {
                title: await this.cipher.decrypt(t.title_enc, 'case_tasks.title'),
                dueOn: t.due_on,
                owner: names.get(`user:${t.owner_id}`) ?? 'unknown',
              },
            ] as const,
        ),
      ),
    );
    const entries: TimelineEntry[] = [];
    for (const e of events) {
      const d = e.detail;
      if (e.kind === 'note') {
        entries.push({
          at: e.at,
          actor: e.actor,
          kind: 'note',
          text: 'Internal note',
          body: noteBodies.get(String(d.noteId)) ?? '',
        });
      } else if (e.kind === 'task' || e.kind === 'task-done' || e.kind === 'task-reopened') {
        const task = taskTitles.get(String(d.taskId));
        const title = task?.title ?? 'a task';
        const text =
          e.kind === 'task'
            ? `Task added: ${title} (due ${task?.dueOn}, for ${task?.owner})`
            : e.kind === 'task-done'
              ? `Task done: ${title}`
              : `Task reopened: ${title}`;
        entries.push({ at: e.at, actor: e.actor, kind: 'task', text });
      } else {
        entries.push({ at: e.at, actor: e.actor, kind: 'triage', text: triageText(e.kind, d, names) });
      }
    }
    for (const c of consents) {
      const actor = c.recorded_by
        ? names.get(`user:${c.recorded_by}`)
        : c.recorded_by_token
          ? names.get(`token:${c.recorded_by_token}`)
          : 'The person';
      entries.push({
        at: c.recorded_at,
        actor: actor ?? 'unknown',
        kind: 'consent',
        text: `Choice ${c.scope} ${c.decision} (${c.method})`,
      });
    }
    for (const m of messages) {
      const body = await this.cipher.decrypt(m.body_enc, 'report_messages.body');
      if (m.sender === 'reporter')
        entries.push({ at: m.sent_at, actor: 'The person', kind: 'message-in', text: 'Message from the person', body });
      else
        entries.push({
          at: m.sent_at,
          actor: (m.author_id && names.get(`user:${m.author_id}`)) || 'Support (API)',
          kind: 'message-out',
          text: 'Reply to the person',
          body,
        });
    }
    return entries.sort((a, b) => a.at.localeCompare(b.at));
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}

function triageText(kind: string, detail: Record<string, unknown>, names: Map<string, string>): string {
  const reason = typeof detail.reason === 'string' && detail.reason ? ` (${detail.reason})` : '';
  switch (kind) {
    case 'status':
      return `Set status to ${String(detail.to)}${reason}`;
    case 'priority':
      return `Set priority to ${String(detail.to)}`;
    case 'assigned':
      return `Assigned to ${detail.to ? (names.get(`user:${String(detail.to)}`) ?? 'someone no longer here') : 'nobody'}`;
    case 'flags': {
      const flags = (detail.to as string[]).map((f) => RISK_FLAGS[f as keyof typeof RISK_FLAGS] ?? f);
      return `Set risk flags to ${flags.length ? flags.join(', ') : 'none'}`;
    }
    case 'stop-requested':
      return 'The person asked the charity to stop working on this report (Check your report)';
    case 'deletion-requested':
      return 'The person asked for this report to be deleted (Check your report); what was shared with the police stays with them';
    case 'appointment-missed':
      return `Appointment missed: ${String(detail.label ?? 'an appointment')} on ${String(detail.startsOn ?? 'an unknown date')}`;
    case 'engagement':
      return `Engagement: ${String(detail.to)} from ${String(detail.on)}${detail.wantsSupport === 'yes' ? ' (wants support to continue)' : detail.wantsSupport === 'no' ? ' (does not want support)' : ''}`;
    default:
      return kind;
  }
}
