import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/auditTrail.ts';

export const SATISFACTION = ['very-satisfied', 'satisfied', 'neither', 'dissatisfied', 'very-dissatisfied'] as const;
export const MAX_FEEDBACK_LENGTH = 2000;

export const feedbackSchema = z.object({
  satisfaction: z.enum(SATISFACTION, { message: 'Choose how you feel about the service, or leave it blank' }).optional().or(z.literal('').transform(() => undefined)),
  text: z.string().trim().min(1, 'Tell us what would make this service better').max(MAX_FEEDBACK_LENGTH, `What you tell us must be ${MAX_FEEDBACK_LENGTH} characters or fewer`),
  page: z.string().max(200).regex(/^\/[\w\-./]*$/).optional().or(z.literal('').transform(() => undefined)).catch(undefined),
});
export type FeedbackInput = z.infer<typeof feedbackSchema>;

export interface FeedbackItem {
  id: string;
  createdAt: string;
  satisfaction: string | null;
  page: string | null;
  text: string;
}

const PAGE_SIZE = 25;

/** Beta feedback from the public site. The text may hold anything, so it is encrypted. */
export class FeedbackService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  async submit(input: FeedbackInput): Promise<void> {
    await this.db
      .insertInto('feedback')
      .values({
        id: randomId(),
        created_at: this.now().toISOString(),
        page: input.page ?? null,
        satisfaction: input.satisfaction ?? null,
        text_enc: this.cipher.encrypt(input.text, 'feedback.text'),
      })
      .execute();
  }

  /** Newest first, one page; reading it is audited. */
  async page(viewer: { userId: string; orgId: string }, pageNumber: number): Promise<{ items: FeedbackItem[]; hasMore: boolean }> {
    const rows = await this.db
      .selectFrom('feedback')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(PAGE_SIZE + 1)
      .offset((pageNumber - 1) * PAGE_SIZE)
      .execute();
    const items = await Promise.all(
      rows.slice(0, PAGE_SIZE).map(async (row) => ({
        id: row.id,
        createdAt: row.created_at,
        satisfaction: row.satisfaction,
        page: row.page,
        text: await this.cipher.decrypt(row.text_enc, 'feedback.text'),
      })),
    );
    await this.audit.record({ actorKind: 'user', actorId: viewer.userId, orgId: viewer.orgId, action: 'feedback.viewed', detail: { page: pageNumber, items: items.length } });
    return { items, hasMore: rows.length > PAGE_SIZE };
  }
}
