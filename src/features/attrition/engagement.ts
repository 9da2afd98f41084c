import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { engagementRepository as repo } from './engagementRepository.ts';
import { syncAttritionWatch } from './attritionWatch.ts';

export const ENGAGEMENT_STATUSES = { engaged: 'Engaged', wavering: 'Wavering', withdrawn: 'Withdrawn' } as const;
export type EngagementStatus = keyof typeof ENGAGEMENT_STATUSES;

export const WITHDRAWAL_REASONS = {
  'fear-of-retaliation': 'Fear of retaliation',
  'distrust-of-police': 'Distrust of police',
  'substance-use': 'Substance use',
  'moved-away': 'Moved away',
  'lost-contact': 'Lost contact',
  'court-delays': 'Court delays',
  'pressure-from-others': 'Pressure from others',
  other: 'Other',
} as const;
export type EngagementReason = keyof typeof WITHDRAWAL_REASONS;

const realDate = isoDate('Enter a real date as YYYY-MM-DD, for example 2026-03-12');

/** One change of engagement, as the page and the API take it. */
export const engagementSchema = z
  .object({
    status: z.enum(Object.keys(ENGAGEMENT_STATUSES) as [EngagementStatus], {
      message: 'Choose engaged, wavering or withdrawn',
    }),
    reasons: z
      .array(
        z.enum(Object.keys(WITHDRAWAL_REASONS) as [EngagementReason], {
          message: `Reasons must be from the list: ${Object.keys(WITHDRAWAL_REASONS).join(', ')}`,
        }),
      )
      .max(8)
      .default([]),
    note: z.string().trim().max(2000, 'The note must be 2,000 characters or fewer').default(''),
    on: realDate,
    wantsSupport: z.enum(['yes', 'no'], { message: 'Say whether the person wants support to continue' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'withdrawn' && v.wantsSupport === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['wantsSupport'],
        message: 'Say whether the person wants support to continue',
      });
    if (v.status !== 'withdrawn' && v.wantsSupport !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['wantsSupport'],
        message: 'Only say whether they want support to continue when they have withdrawn',
      });
    if (v.status !== 'engaged' && v.reasons.length === 0)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'Choose at least one reason' });
  });
export type EngagementInput = z.infer<typeof engagementSchema>;

export class EngagementError extends Error {
  constructor(
    readonly field: keyof EngagementInput,
    message: string,
  ) {
    super(message);
  }
}

export interface EngagementChange {
  status: EngagementStatus;
  reasons: EngagementReason[];
  note: string;
  on: string;
  wantsSupport: 'yes' | 'no' | null;
  actor: string;
  recordedAt: string;
}

/** The person's engagement with their case: an append-only history, the current status, a case history event and an audit entry for each change. */
export class Engagement {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** Records a change on a report of the actor's organisation (the caller has looked it up in that organisation). */
  async record(actor: Actor, reportId: string, input: EngagementInput): Promise<void> {
    const at = this.now();
    if (input.on > at.toISOString().slice(0, 10)) throw new EngagementError('on', 'The date cannot be in the future');
    const reasons = [...new Set(input.reasons)].sort();
    const wantsSupport = input.status === 'withdrawn' ? (input.wantsSupport ?? null) : null;
    await this.db.transaction().execute(async (trx) => {
      const id = randomId();
      const createdAt = at.toISOString();
      await repo.insertChange(trx, {
        id,
        report_id: reportId,
        org_id: actor.orgId,
        status: input.status,
        reasons_enc: this.cipher.encrypt(JSON.stringify(reasons), 'engagement_changes.reasons'),
        note_enc: input.note ? this.cipher.encrypt(input.note, 'engagement_changes.note') : null,
        changed_on: input.on,
        wants_support: wantsSupport,
        actor_kind: actor.kind,
        actor_id: actor.id,
        created_at: createdAt,
      });
      await repo.setCurrent(trx, {
        report_id: reportId,
        org_id: actor.orgId,
        status: input.status,
        wants_support: wantsSupport,
        changed_on: input.on,
        updated_at: createdAt,
      });
      await syncAttritionWatch(trx, { reports: [reportId] });
      await repo.insertCaseEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: actor.kind,
        actor_id: actor.id,
        kind: 'engagement',
        detail_enc: this.cipher.encrypt(
          JSON.stringify({ changeId: id, to: input.status, on: input.on, ...(wantsSupport ? { wantsSupport } : {}) }),
          'case_events.detail',
        ),
        at: createdAt,
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'case.engagement',
          targetKind: 'report',
          targetId: reportId,
          detail: { status: input.status },
        },
        trx,
      );
    });
  }

  /**
   * The person asked, through "Check your report", that the charity stop working on
   * the report: withdrawn, not wanting support, from today, written in the caller's
   * transaction (with the consent ledger entry and the request) and shown as "The person".
   */
  async withdrawnByPerson(trx: Transaction<DB>, report: { id: string; orgId: string }): Promise<void> {
    const at = this.now();
    const createdAt = at.toISOString();
    const on = createdAt.slice(0, 10);
    const id = randomId();
    await repo.insertChange(trx, {
      id,
      report_id: report.id,
      org_id: report.orgId,
      status: 'withdrawn',
      reasons_enc: this.cipher.encrypt('[]', 'engagement_changes.reasons'),
      note_enc: null,
      changed_on: on,
      wants_support: 'no',
      actor_kind: 'person',
      actor_id: null,
      created_at: createdAt,
    });
    await repo.setCurrent(trx, {
      report_id: report.id,
      org_id: report.orgId,
      status: 'withdrawn',
      wants_support: 'no',
      changed_on: on,
      updated_at: createdAt,
    });
    await syncAttritionWatch(trx, { reports: [report.id] });
    await repo.insertCaseEvent(trx, {
      id: randomId(),
      report_id: report.id,
      actor_kind: 'person',
      actor_id: null,
      kind: 'engagement',
      detail_enc: this.cipher.encrypt(
        JSON.stringify({ changeId: id, to: 'withdrawn', on, wantsSupport: 'no' }),
        'case_events.detail',
      ),
      at: createdAt,
    });
  }

  /** The current status, or null when nobody has recorded one. */
  async current(
    reportId: string,
  ): Promise<{ status: EngagementStatus; wantsSupport: 'yes' | 'no' | null; on: string } | null> {
    const row = await repo.current(this.db, reportId);
    return row ? { status: row.status, wantsSupport: row.wants_support, on: row.changed_on } : null;
  }

  /** Every change, newest first, with notes decrypted; viewing it is audited. */
  async history(actor: Actor, reportId: string): Promise<EngagementChange[]> {
    const rows = await repo.changes(this.db, reportId);
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: r.actor_kind, id: r.actor_id })),
    );
    await this.audit.record({
      ...auditActor(actor),
      action: 'case.engagement.viewed',
      targetKind: 'report',
      targetId: reportId,
    });
    return Promise.all(
      rows.map(async (r) => ({
        status: r.status,
        reasons: JSON.parse(
          await this.cipher.decrypt(r.reasons_enc, 'engagement_changes.reasons'),
        ) as EngagementReason[],
        note: r.note_enc ? await this.cipher.decrypt(r.note_enc, 'engagement_changes.note') : '',
        on: r.changed_on,
        wantsSupport: r.wants_support,
        actor:
          r.actor_kind === 'person'
            ? 'The person'
            : (r.actor_id && names.get(`${r.actor_kind}:${r.actor_id}`)) || 'system',
        recordedAt: r.created_at,
      })),
    );
  }
}
