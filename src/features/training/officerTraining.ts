import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { normaliseEmail } from '../../platform/validation/email.ts';
import { trainingRepository as repo } from './trainingRepository.ts';

/** "12 March 2026" for a YYYY-MM-DD date. */
function longDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Choose an officer from the list');

/**
 * A training record as the page takes it. The officer is one with an account
 * in a partner force (their user id), or "other": a name, an email and the force.
 * The module is free text: the charity's courses change, and a configured list
 * would need its own administration for little gain.
 */
export const trainingSchema = z
  .object({
    officer: z.union([z.literal('other'), id], {
      message: 'Choose an officer from the list, or someone without an account',
    }),
    name: z.string().trim().max(200, 'The name must be 200 characters or fewer').default(''),
    email: z.string().trim().max(254).default(''),
    force: z.string().trim().max(64).default(''),
    completedOn: isoDate('Enter a real date as YYYY-MM-DD, for example 2026-03-12'),
    module: z
      .string()
      .trim()
      .min(1, 'Enter the module or course')
      .max(200, 'The module must be 200 characters or fewer'),
    trainer: z
      .string()
      .trim()
      .min(1, 'Enter who gave the training')
      .max(200, 'The trainer must be 200 characters or fewer'),
  })
  .superRefine((v, ctx) => {
    if (v.officer !== 'other') return;
    if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter the officer’s name' });
    if (!z.email().safeParse(v.email).success)
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Enter the officer’s email address, like name@police.example',
      });
    if (!v.force) ctx.addIssue({ code: 'custom', path: ['force'], message: 'Choose the officer’s force' });
  });
export type TrainingInput = z.infer<typeof trainingSchema>;

export const removalSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the record is removed')
    .max(1000, 'The reason must be 1,000 characters or fewer'),
});

export class TrainingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TrainingRecord {
  id: string;
  officer: string;
  force: string;
  completedOn: string;
  completedOnText: string;
  module: string;
  trainer: string;
  recordedBy: string;
}

/** The charity's records of police officers who completed its training; shown to supervisors when they assign an officer in the case. */
export class OfficerTraining {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** Partner forces and their officers (with accounts), for the "add" form. */
  async choices(supportOrgId: string) {
    const forces = await repo.partnerForces(this.db, supportOrgId);
    const users = await repo.officersOf(
      this.db,
      forces.map((f) => f.id),
    );
    const officers = await Promise.all(
      users.map(async (u) => ({
        id: u.id,
        forceId: u.org_id,
        role: u.role,
        email: await this.cipher.decrypt(u.email_enc, 'users.email'),
      })),
    );
    return forces.map((f) => ({
      ...f,
      officers: officers.filter((o) => o.forceId === f.id).sort((a, b) => a.email.localeCompare(b.email)),
    }));
  }

  async add(actor: Actor, input: TrainingInput): Promise<string> {
    if (input.completedOn > this.now().toISOString().slice(0, 10))
      throw new TrainingError('completedOn', 'The date cannot be in the future');
    const forces = await repo.partnerForces(this.db, actor.orgId);
    let officer: { userId: string | null; forceId: string; name: string | null; email: string | null };
    if (input.officer === 'other') {
      const force = forces.find((f) => f.slug === input.force || f.id === input.force);
      if (!force) throw new TrainingError('force', 'Choose a police force your organisation works with');
      officer = { userId: null, forceId: force.id, name: input.name, email: normaliseEmail(input.email) };
    } else {
      const user = (
        await repo.officersOf(
          this.db,
          forces.map((f) => f.id),
        )
      ).find((u) => u.id === input.officer);
      if (!user) throw new TrainingError('officer', 'Choose an officer of a force your organisation works with');
      officer = { userId: user.id, forceId: user.org_id, name: null, email: null };
    }
    const recordId = randomId();
    await this.db.transaction().execute(async (trx) => {
      await repo.insert(trx, {
        id: recordId,
        support_org_id: actor.orgId,
        police_org_id: officer.forceId,
        officer_user_id: officer.userId,
        officer_name_enc: officer.name ? this.cipher.encrypt(officer.name, 'officer_training.officer_name') : null,
        officer_email_enc: officer.email ? this.cipher.encrypt(officer.email, 'officer_training.officer_email') : null,
        // Same context as users.email, so the record marks the officer once they have an account.
        officer_email_index: officer.email ? this.cipher.blindIndex(officer.email, 'users.email') : null,
        completed_on: input.completedOn,
        module: input.module,
        trainer_enc: this.cipher.encrypt(input.trainer, 'officer_training.trainer'),
        recorded_by_kind: actor.kind,
        recorded_by_id: actor.id,
        recorded_at: this.now().toISOString(),
        removed_at: null,
        removed_by_kind: null,
        removed_by_id: null,
        removed_reason_enc: null,
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'training.added',
          targetKind: 'officer-training',
          targetId: recordId,
          detail: { forceId: officer.forceId, withAccount: officer.userId !== null },
        },
        trx,
      );
    });
    return recordId;
  }

  async remove(actor: Actor, recordId: string, reason: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.activeOne(trx, actor.orgId, recordId)))
        throw new TrainingError(
          'record',
          'That training record has already been removed, or is not your organisation’s',
        );
      await repo.remove(
        trx,
        recordId,
        actor,
        this.now().toISOString(),
        this.cipher.encrypt(reason, 'officer_training.removed_reason'),
      );
      await this.audit.record(
        { ...auditActor(actor), action: 'training.removed', targetKind: 'officer-training', targetId: recordId },
        trx,
      );
    });
  }

  /** The organisation's current records, latest first; the view is audited (they name officers). */
  async list(actor: Actor): Promise<TrainingRecord[]> {
    const rows = await repo.active(this.db, actor.orgId);
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.flatMap((r) => [
        { kind: 'user', id: r.officer_user_id },
        { kind: r.recorded_by_kind, id: r.recorded_by_id },
      ]),
    );
    await this.audit.record({
      ...auditActor(actor),
      action: 'training.viewed',
      targetKind: 'organisation',
      targetId: actor.orgId,
      detail: { shown: rows.length },
    });
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        officer: r.officer_user_id
          ? (names.get(`user:${r.officer_user_id}`) ?? 'An officer no longer here')
          : `${await this.cipher.decrypt(r.officer_name_enc!, 'officer_training.officer_name')} (${await this.cipher.decrypt(r.officer_email_enc!, 'officer_training.officer_email')}, no account)`,
        force: r.force_name,
        completedOn: r.completed_on,
        completedOnText: longDate(r.completed_on),
        module: r.module,
        trainer: await this.cipher.decrypt(r.trainer_enc, 'officer_training.trainer'),
        recordedBy: (r.recorded_by_id && names.get(`${r.recorded_by_kind}:${r.recorded_by_id}`)) || 'system',
      })),
    );
  }

  /**
   * Marks a force's officers who completed a partner charity's training, for the
   * supervisor choosing the officer in the case: "Trained by Safe Streets, 12 March
   * 2026: Trauma-informed interviewing" (all current records, latest first).
   */
  async markOfficers<T extends { id: string }>(
    policeOrgId: string,
    officers: T[],
  ): Promise<(T & { trained: string | null })[]> {
    if (!officers.length) return [];
    const users = await repo.usersWithEmailIndex(
      this.db,
      officers.map((o) => o.id),
    );
    const byIndex = new Map(users.map((u) => [u.email_hmac, u.id]));
    const rows = await repo.forOfficers(
      this.db,
      policeOrgId,
      users.map((u) => u.id),
      users.map((u) => u.email_hmac),
    );
    const marks = new Map<string, string[]>();
    for (const r of rows) {
      const userId = r.officer_user_id ?? (r.officer_email_index ? byIndex.get(r.officer_email_index) : undefined);
      if (!userId) continue;
      marks.set(userId, [
        ...(marks.get(userId) ?? []),
        `Trained by ${r.charity}, ${longDate(r.completed_on)}: ${r.module}`,
      ]);
    }
    return officers.map((o) => ({ ...o, trained: marks.get(o.id)?.join('; ') ?? null }));
  }
}
