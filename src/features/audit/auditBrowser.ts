import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isoDate } from '../../platform/validation/isoDate.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { AuditTrail } from './auditTrail.ts';
import { auditRepository } from './auditRepository.ts';

const PAGE_SIZE = 50;
const auditDate = isoDate('Enter a date like 2026-11-28');

export const auditQuerySchema = z.object({
  action: z
    .string()
    .trim()
    .max(80)
    .regex(/^[a-z0-9.-]*$/, 'An action looks like auth.sign-in')
    .optional(),
  actor: z.string().trim().max(64).optional(),
  target: z.string().trim().max(64).optional(),
  from: auditDate.optional().or(z.literal('')),
  to: auditDate.optional().or(z.literal('')),
  before: z.coerce.number().int().positive().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

/** What administrators see of the audit trail: their organisation's entries and system-wide ones. */
export class AuditBrowser {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
  ) {}

  async page(
    viewer: { userId: string; orgId: string },
    query: AuditQuery,
  ): Promise<{ rows: AuditRow[]; nextBefore: number | undefined }> {
    const found = await auditRepository.search(this.db, {
      orgId: viewer.orgId,
      action: query.action || undefined,
      actorId: query.actor || undefined,
      targetId: query.target || undefined,
      from: query.from ? `${query.from}T00:00:00.000Z` : undefined,
      // "to" is inclusive of the whole day.
      to: query.to ? new Date(Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
      beforeSeq: query.before,
      limit: PAGE_SIZE,
    });
    const pageRows = found.slice(0, PAGE_SIZE);
    const rows = await Promise.all(
      pageRows.map(async (row) => ({
        seq: Number(row.seq),
        at: row.at,
        actor: row.actor_email_enc
          ? await this.cipher.decrypt(row.actor_email_enc, 'users.email')
          : `${row.actor_kind}${row.actor_id ? ` ${row.actor_id}` : ''}`,
        action: row.action,
        target: row.target_kind ? `${row.target_kind} ${row.target_id ?? ''}`.trim() : '',
        detail: row.detail === '{}' ? '' : row.detail,
      })),
    );
    // Looking at who did what is itself recorded.
    await this.audit.record({
      actorKind: 'user',
      actorId: viewer.userId,
      orgId: viewer.orgId,
      action: 'audit.viewed',
      detail: { results: rows.length },
    });
    return { rows, nextBefore: found.length > PAGE_SIZE ? pageRows.at(-1)?.seq : undefined };
  }
}
