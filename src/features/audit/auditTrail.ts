import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { hmac } from '../../platform/crypto/index.ts';

export type ActorKind = 'user' | 'api-token' | 'system' | 'cli' | 'public';

export interface AuditEvent {
  actorKind: ActorKind;
  actorId?: string | null;
  orgId?: string | null;
  /** Dotted verb, e.g. "auth.sign-in", "user.role-changed", "record.viewed". */
  action: string;
  targetKind?: string | null;
  targetId?: string | null;
  /** Non-personal facts only (ids, role names, counts). Never names, emails, codes or addresses. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  orgId: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  detail: string;
}

export type VerifyResult =
  | { ok: true; checked: number }
  | { ok: false; checked: number; firstBadSeq: number; reason: string };

const GENESIS = 'genesis';

/**
 * Append-only audit trail with a keyed hash chain: each entry's hash covers its
 * own fields and the previous entry's hash, so altering, removing or
 * reordering entries breaks the chain at the first bad entry. The key is
 * derived from the master key, so someone with only database access cannot
 * re-forge a consistent chain.
 */
export class AuditTrail {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly chainKey: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends an entry; pass the use case's transaction so the entry commits with the action. */
  async record(event: AuditEvent, trx?: Transaction<DB>): Promise<void> {
    if (trx) return this.append(trx, event);
    await this.db.transaction().execute((t) => this.append(t, event));
  }

  private async append(trx: Transaction<DB>, event: AuditEvent): Promise<void> {
    // Incrementing the single head row takes its write lock, so concurrent
    // appends (even from other instances) are serialised.
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    const entry: AuditEntry = {
      seq: Number(head.seq),
      at: this.now().toISOString(),
      actorKind: event.actorKind,
      actorId: event.actorId ?? null,
      orgId: event.orgId ?? null,
      action: event.action,
      targetKind: event.targetKind ?? null,
      targetId: event.targetId ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    };
    const hash = this.hashOf(entry, head.hash);
    await trx
      .insertInto('audit_entries')
      .values({
        seq: entry.seq,
        at: entry.at,
        actor_kind: entry.actorKind,
        actor_id: entry.actorId,
        org_id: entry.orgId,
        action: entry.action,
        target_kind: entry.targetKind,
        target_id: entry.targetId,
        detail: entry.detail,
        prev_hash: head.hash,
        hash,
      })
      .execute();
    await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  }

  /**
   * Walks the chain up to the head as it stood when the check began, and
   * reports the first entry that was altered, removed or moved. Entries
   * appended while the check runs are left for the next check, so a live
   * server's writes never read as tampering.
   */
  async verify(batchSize = 1000): Promise<VerifyResult> {
    const head = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    const lastSeq = Number(head.seq);
    let expectedSeq = 1;
    let prevHash = GENESIS;
    let checked = 0;
    while (expectedSeq <= lastSeq) {
      const rows = await this.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .where('seq', '<=', lastSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) {
          return { ok: false, checked, firstBadSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
        }
        if (row.prev_hash !== prevHash || row.hash !== this.hashOf(toEntry(row), prevHash)) {
          return { ok: false, checked, firstBadSeq: seq, reason: `entry ${seq} does not match the chain (altered or moved)` };
        }
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
    if (checked !== lastSeq || head.hash !== prevHash) {
      return { ok: false, checked, firstBadSeq: checked + 1, reason: `entries after ${checked} were removed` };
    }
    // Rows outside the chain's numbering would show in the audit browser without ever being checked.
    const stray = await this.db.selectFrom('audit_entries').select('seq').where('seq', '<', 1).orderBy('seq').limit(1).executeTakeFirst();
    if (stray) return { ok: false, checked, firstBadSeq: Number(stray.seq), reason: `entry ${Number(stray.seq)} is not part of the chain` };
    return { ok: true, checked };
  }

  private hashOf(entry: AuditEntry, prevHash: string): string {
    return hmac(
      this.chainKey,
      JSON.stringify([
        entry.seq, entry.at, entry.actorKind, entry.actorId, entry.orgId, entry.action,
        entry.targetKind, entry.targetId, entry.detail, prevHash,
      ]),
    );
  }
}

export function toEntry(row: DB['audit_entries']): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    orgId: row.org_id,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    detail: row.detail,
  };
}
