import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { feedbackRepository } from './feedbackRepository.ts';
import type { FeedbackInput } from './schemas.ts';

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
    await feedbackRepository.insert(this.db, {
      id: randomId(),
      created_at: this.now().toISOString(),
      page: input.page ?? null,
      satisfaction: input.satisfaction ?? null,
      text_enc: this.cipher.encrypt(input.text, 'feedback.text'),
    });
  }

  /** Newest first, one page. Reading it is audited in the same transaction, so no read goes unrecorded. */
  async page(
    viewer: { userId: string; orgId: string },
    pageNumber: number,
  ): Promise<{ items: FeedbackItem[]; hasMore: boolean }> {
    const rows = await this.db.transaction().execute(async (trx) => {
      const found = await feedbackRepository.newestFirst(trx, {
        limit: PAGE_SIZE + 1,
        offset: (pageNumber - 1) * PAGE_SIZE,
      });
      const shown = Math.min(found.length, PAGE_SIZE);
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: viewer.userId,
          orgId: viewer.orgId,
          action: 'feedback.viewed',
          detail: { page: pageNumber, items: shown },
        },
        trx,
      );
      return found;
    });
    const items = await Promise.all(
      rows.slice(0, PAGE_SIZE).map(async (row) => ({
        id: row.id,
        createdAt: row.created_at,
        satisfaction: row.satisfaction,
        page: row.page,
        text: await this.cipher.decrypt(row.text_enc, 'feedback.text'),
      })),
    );
    return { items, hasMore: rows.length > PAGE_SIZE };
  }
}
