import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { hmac } from '../../platform/crypto/index.ts';
import { auditChainRepository as repo } from './auditChainRepository.ts';

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
  | {
      ok: true;
      checked: number;
      /** The entry that keyed a head left unkeyed by an upgrade, if any. */ keyedAt?: number;
    }
  | { ok: false; checked: number; firstBadSeq: number; reason: string };

/** Where the trail stood at some moment, kept somewhere other than the database (`liaison audit checkpoint`). */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
}

const GENESIS = 'genesis';
const CHECKPOINT = /^(\d{1,15}):([0-9a-f]{64})$/;

/** Reads `SEQ:HASH` as printed by `liaison audit checkpoint`; undefined when it is not one. */
export function parseCheckpoint(text: string): AuditCheckpoint | undefined {
  const match = CHECKPOINT.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2]! } : undefined;
}

/**
 * The head's own key: an HMAC of its sequence number and hash, so cutting
 * the newest entries and rewriting the head to the last one left is noticed
 * without the key (derived from the chain key, which comes from the master key).
 */
export function auditHeadMac(chainKey: Buffer, seq: number, hash: string): string {
  return hmac(chainKey, JSON.stringify(['audit-head', seq, hash]));
}

/**
 * Where the chain starts once its oldest entries were removed under the
 * retention schedule: an HMAC of the last removed entry's number and hash, so
 * nobody without the chain key can remove more from the start and move it.
 */
export function auditStartMac(chainKey: Buffer, seq: number, hash: string): string {
  return hmac(chainKey, JSON.stringify(['audit-start', seq, hash]));
}

/** Actions the trail writes about itself when an append finds the head without its key. */
const HEAD_KEYED = 'audit.head-keyed';
const HEAD_MISMATCH = 'audit.head-mismatch';
/** What the migration that introduced keyed heads left on an existing trail's head. */
const UNKEYED = 'unkeyed';
/** What the trail writes after removing its oldest entries. */
const TRIMMED = 'audit.trimmed';

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

  /**
   * Keys a head written before heads were keyed (an upgrade), with an entry
   * saying so, so `liaison audit verify` checks it from then on. Run when the
   * server starts, never by verify itself. This trusts the head as it is, so
   * it happens once per trail: a head found without its key after that is
   * treated as rewritten by the next append.
   */
  async keyHead(): Promise<boolean> {
    const unkeyed = await repo.findUnkeyedHead(this.db, UNKEYED);
    if (!unkeyed) return false;
    if (await repo.findEntryWithAction(this.db, HEAD_KEYED)) return false;
    // Only a running server trims, and it keyed the head when it started: the entry saying so may be gone.
    if (Number((await repo.readHead(this.db)).trimmed_seq) > 0) return false;
    return this.db.transaction().execute(async (trx) => {
      // Take the head's lock, as an append does; a concurrent start may have keyed it meanwhile.
      const head = await repo.lockHead(trx);
      if (head.head_mac !== UNKEYED) return false;
      const seq = Number(head.seq) + 1;
      const hash = await this.insert(trx, seq, head.hash, {
        actorKind: 'system',
        action: HEAD_KEYED,
        detail: { headSeq: seq - 1 },
      });
      await repo.setHead(trx, { seq, hash, head_mac: auditHeadMac(this.chainKey, seq, hash) });
      return true;
    });
  }

  private async append(trx: Transaction<DB>, event: AuditEvent): Promise<void> {
    // Incrementing the single head row takes its write lock, so concurrent
    // appends (even from other instances) are serialised.
    const head = await repo.advanceHead(trx);
    let seq = Number(head.seq);
    let hash = head.hash;
    // A head that does not carry its key was written by someone else: say so
    // in the chain before extending it, since keying it now would otherwise
    // make a cut tail look whole.
    if (seq > 1 && head.head_mac !== auditHeadMac(this.chainKey, seq - 1, hash)) {
      hash = await this.insert(trx, seq, hash, {
        actorKind: 'system',
        action: HEAD_MISMATCH,
        detail: { headSeq: seq - 1 },
      });
      seq += 1;
    }
    hash = await this.insert(trx, seq, hash, event);
    await repo.setHead(trx, { seq, hash, head_mac: auditHeadMac(this.chainKey, seq, hash) });
  }

  private async insert(trx: Transaction<DB>, seq: number, prevHash: string, event: AuditEvent): Promise<string> {
    const entry: AuditEntry = {
      seq,
      at: this.now().toISOString(),
      actorKind: event.actorKind,
      actorId: event.actorId ?? null,
      orgId: event.orgId ?? null,
      action: event.action,
      targetKind: event.targetKind ?? null,
      targetId: event.targetId ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    };
    const hash = this.hashOf(entry, prevHash);
    await repo.insertEntry(trx, {
      seq: entry.seq,
      at: entry.at,
      actor_kind: entry.actorKind,
      actor_id: entry.actorId,
      org_id: entry.orgId,
      action: entry.action,
      target_kind: entry.targetKind,
      target_id: entry.targetId,
      detail: entry.detail,
      prev_hash: prevHash,
      hash,
    });
    return hash;
  }

  /**
   * Removes the oldest entries written before `cutoff`, from the start of the
   * chain only (an entry in the middle cannot go without breaking the chain),
   * a batch per transaction under the head's lock. The start moves to the last
   * entry removed, keyed like the head, and an `audit.trimmed` entry says how
   * many went. Returns how many entries were removed.
   */
  async trimBefore(cutoff: Date, batchSize = 1000): Promise<number> {
    const before = cutoff.toISOString();
    let removed = 0;
    let through = 0;
    for (;;) {
      const batch = await this.db.transaction().execute(async (trx) => {
        const head = await repo.lockHeadAndStart(trx);
        const start = Number(head.trimmed_seq);
        const rows = await repo.entriesBetween(trx, start + 1, Number(head.seq), batchSize);
        // Stop at the first entry that is not old enough, so only a prefix goes even if clocks disagreed.
        const firstKept = rows.findIndex((row) => row.at >= before);
        const old = firstKept === -1 ? rows : rows.slice(0, firstKept);
        const last = old.at(-1);
        if (!last) return { count: 0, more: false, through: start };
        const seq = Number(last.seq);
        await repo.deleteEntriesThrough(trx, start, seq);
        await repo.setStart(trx, {
          trimmed_seq: seq,
          trimmed_hash: last.hash,
          trimmed_mac: auditStartMac(this.chainKey, seq, last.hash),
        });
        return { count: old.length, more: firstKept === -1 && rows.length === batchSize, through: seq };
      });
      removed += batch.count;
      through = batch.through;
      if (!batch.more) break;
    }
    if (removed)
      await this.record({
        actorKind: 'system',
        action: TRIMMED,
        detail: { removed, throughSeq: through, before },
      });
    return removed;
  }

  /**
   * Walks the chain up to the head as it stood when the check began, and
   * reports the first entry that was altered, removed or moved. Entries
   * appended while the check runs are left for the next check, so a live
   * server's writes never read as tampering. The head must carry its key (a
   * cut tail with a rewritten head fails), and with a checkpoint kept
   * elsewhere, the entry it names must still be there unchanged.
   */
  async verify(batchSize = 1000, checkpoint?: AuditCheckpoint): Promise<VerifyResult> {
    return (await this.walk(batchSize, checkpoint)).result;
  }

  /** Verifies the trail and, when intact, returns where it stands: `liaison audit checkpoint`. */
  async checkpoint(): Promise<{ result: VerifyResult; checkpoint?: AuditCheckpoint }> {
    const { result, head } = await this.walk(1000);
    return result.ok ? { result, checkpoint: head } : { result };
  }

  private async walk(
    batchSize: number,
    checkpoint?: AuditCheckpoint,
  ): Promise<{ result: VerifyResult; head: AuditCheckpoint }> {
    const head = await repo.readHead(this.db);
    const lastSeq = Number(head.seq);
    const at = { seq: lastSeq, hash: head.hash };
    const fail = (checked: number, firstBadSeq: number, reason: string) => ({
      result: { ok: false as const, checked, firstBadSeq, reason },
      head: at,
    });
    // Entries removed from the start under the retention schedule: the chain starts after the last of them.
    const startSeq = Number(head.trimmed_seq ?? 0);
    if (startSeq > 0 && head.trimmed_mac !== auditStartMac(this.chainKey, startSeq, head.trimmed_hash ?? '')) {
      return fail(
        0,
        startSeq + 1,
        `the start of the trail was moved without the key (entries up to ${startSeq} may have been removed or altered)`,
      );
    }
    if (
      checkpoint &&
      checkpoint.seq <= startSeq &&
      !(checkpoint.seq === startSeq && checkpoint.hash === head.trimmed_hash)
    ) {
      return fail(
        0,
        checkpoint.seq,
        `the checkpoint names entry ${checkpoint.seq}, which was removed under the retention schedule (the trail now starts after ${startSeq}): take a new checkpoint`,
      );
    }
    let expectedSeq = startSeq + 1;
    let prevHash = startSeq > 0 ? (head.trimmed_hash ?? '') : GENESIS;
    let checked = 0;
    let keyedAt: number | undefined;
    while (expectedSeq <= lastSeq) {
      const rows = await repo.entriesBetween(this.db, expectedSeq, lastSeq, batchSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) return fail(checked, expectedSeq, `entry ${expectedSeq} is missing`);
        if (row.prev_hash !== prevHash || row.hash !== this.hashOf(toEntry(row), prevHash)) {
          return fail(checked, seq, `entry ${seq} does not match the chain (altered or moved)`);
        }
        if (row.action === HEAD_MISMATCH) {
          return fail(
            checked,
            seq,
            `entry ${seq} records that the head had been rewritten without the key before it (entries before it may have been removed)`,
          );
        }
        if (row.action === HEAD_KEYED) keyedAt = seq;
        if (checkpoint && seq === checkpoint.seq && row.hash !== checkpoint.hash) {
          return fail(
            checked,
            seq,
            `entry ${seq} is not the one the checkpoint names (the trail was rewritten from there or earlier)`,
          );
        }
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
    if (startSeq + checked !== lastSeq || head.hash !== prevHash) {
      return fail(checked, startSeq + checked + 1, `entries after ${startSeq + checked} were removed`);
    }
    if (checkpoint && checkpoint.seq > lastSeq) {
      return fail(
        checked,
        lastSeq + 1,
        `the checkpoint names entry ${checkpoint.seq} but the trail ends at ${lastSeq}: entries after ${lastSeq} were removed`,
      );
    }
    if (lastSeq > 0 && head.head_mac === UNKEYED) {
      return fail(
        checked,
        lastSeq + 1,
        `the head carries no key yet (the server has not started since the upgrade that keys it), so entries after ${lastSeq} may have been removed`,
      );
    }
    if (lastSeq > 0 && head.head_mac !== auditHeadMac(this.chainKey, lastSeq, head.hash)) {
      return fail(
        checked,
        lastSeq + 1,
        `the head was rewritten without the key (entries after ${lastSeq} may have been removed)`,
      );
    }
    // Rows outside the chain's numbering would show in the audit browser without ever being checked.
    const stray = await repo.firstStrayEntry(this.db, startSeq);
    if (stray) return fail(checked, Number(stray.seq), `entry ${Number(stray.seq)} is not part of the chain`);
    return { result: { ok: true, checked, ...(keyedAt ? { keyedAt } : {}) }, head: at };
  }

  private hashOf(entry: AuditEntry, prevHash: string): string {
    return hmac(
      this.chainKey,
      JSON.stringify([
        entry.seq,
        entry.at,
        entry.actorKind,
        entry.actorId,
        entry.orgId,
        entry.action,
        entry.targetKind,
        entry.targetId,
        entry.detail,
        prevHash,
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
