import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { actorNames } from '../../platform/actors/actorNamesRepository.ts';
import { PoliceCaseError, type PoliceCaseScope } from '../police-cases/index.ts';
import { caseMessagesRepository as repo } from './caseMessagesRepository.ts';

export const caseMessageSchema = z.object({
  body: z.string().trim().min(1, 'Write the message').max(5000, 'A message must be 5,000 characters or fewer'),
});

export interface CaseMessageView {
  id: string;
  side: 'police' | 'support';
  /** The author's email, or "API: <token name>". */
  from: string;
  body: string;
  createdAt: string;
  /** Written by the reader's own side. */
  ours: boolean;
}

/**
 * Messages between the support organisation's liaison officer and the officer
 * in the case, inside a police case. Only the two sides of the case read them
 * (the same access check as the timeline, officers only on their own cases);
 * they are never part of what the person reporting sees. Bodies are encrypted,
 * and every read of the thread is audited.
 */
export class CaseMessages {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly cases: PoliceCaseScope,
    private readonly now: () => Date,
  ) {}

  async send(caseId: string, actor: Actor, body: string): Promise<{ id: string; createdAt: string }> {
    const parsed = caseMessageSchema.safeParse({ body });
    if (!parsed.success)
      throw new PoliceCaseError('invalid', 'body', parsed.error.issues[0]?.message ?? 'Write the message');
    const id = randomId();
    const createdAt = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const c = await this.cases.caseOf(caseId, actor, trx);
      await repo.insertMessage(trx, {
        id,
        case_id: caseId,
        side: c.side,
        author_kind: actor.kind,
        author_id: actor.id,
        org_id: actor.orgId,
        body_enc: this.cipher.encrypt(parsed.data.body, 'case_messages.body'),
        created_at: createdAt,
      });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'case-message.sent',
          targetKind: 'police_case',
          targetId: caseId,
          detail: { messageId: id, side: c.side },
        },
        trx,
      );
    });
    return { id, createdAt };
  }

  /** The thread, oldest first; the read is audited. */
  async list(caseId: string, actor: Actor): Promise<CaseMessageView[]> {
    const c = await this.cases.caseOf(caseId, actor);
    const rows = await repo.messages(this.db, caseId);
    const names = await actorNames(
      this.db,
      this.cipher,
      rows.map((r) => ({ kind: r.author_kind, id: r.author_id })),
    );
    await this.audit.record({
      ...auditActor(actor),
      action: 'case-messages.viewed',
      targetKind: 'police_case',
      targetId: caseId,
      detail: { count: rows.length },
    });
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        side: r.side,
        from:
          names.get(`${r.author_kind}:${r.author_id}`) ??
          (r.side === 'police' ? 'The police' : 'The support organisation'),
        body: await this.cipher.decrypt(r.body_enc, 'case_messages.body'),
        createdAt: r.created_at,
        ours: r.side === c.side,
      })),
    );
  }
}
