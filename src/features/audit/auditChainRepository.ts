import type { Kysely, Transaction } from 'kysely';
import type { AuditEntriesTable, DB } from '../../platform/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** The single head row and the entries of the audit trail's hash chain. */
export const auditChainRepository = {
  /** The head when it still carries the marker an upgrade left and the trail has entries. */
  findUnkeyedHead(db: Executor, unkeyed: string) {
    return db
      .selectFrom('audit_head')
      .select('seq')
      .where('id', '=', 1)
      .where('head_mac', '=', unkeyed)
      .where('seq', '>', 0)
      .executeTakeFirst();
  },
  findEntryWithAction(db: Executor, action: string) {
    return db.selectFrom('audit_entries').select('seq').where('action', '=', action).limit(1).executeTakeFirst();
  },
  /** Sets seq to itself: takes the head's write lock, as an append does, without moving it. */
  lockHead(trx: Transaction<DB>) {
    return trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .returning(['seq', 'hash', 'head_mac'])
      .executeTakeFirstOrThrow();
  },
  /**
   * Increments the head and takes its write lock until the transaction ends, so concurrent
   * appends (even from other instances) are serialised. Returns the head as incremented.
   */
  advanceHead(trx: Transaction<DB>) {
    return trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash', 'head_mac'])
      .executeTakeFirstOrThrow();
  },
  setHead(trx: Transaction<DB>, head: { seq: number; hash: string; head_mac: string }) {
    return trx
      .updateTable('audit_head')
      .set({ seq: head.seq, hash: head.hash, head_mac: head.head_mac })
      .where('id', '=', 1)
      .execute();
  },
  insertEntry(trx: Transaction<DB>, entry: AuditEntriesTable) {
    return trx.insertInto('audit_entries').values(entry).execute();
  },
  readHead(db: Executor) {
    return db
      .selectFrom('audit_head')
      .select(['seq', 'hash', 'head_mac', 'trimmed_seq', 'trimmed_hash', 'trimmed_mac'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
  },
  /** Takes the head's write lock, as an append does, and returns where the chain starts and ends. */
  lockHeadAndStart(trx: Transaction<DB>) {
    return trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .returning(['seq', 'hash', 'trimmed_seq'])
      .executeTakeFirstOrThrow();
  },
  /** Removes the entries after `afterSeq` up to `throughSeq`, the oldest of the chain. */
  deleteEntriesThrough(trx: Transaction<DB>, afterSeq: number, throughSeq: number) {
    return trx.deleteFrom('audit_entries').where('seq', '>', afterSeq).where('seq', '<=', throughSeq).execute();
  },
  setStart(trx: Transaction<DB>, start: { trimmed_seq: number; trimmed_hash: string; trimmed_mac: string }) {
    return trx.updateTable('audit_head').set(start).where('id', '=', 1).execute();
  },
  /** Entries from `fromSeq` up to `toSeq`, in chain order, at most `limit` of them. */
  entriesBetween(db: Executor, fromSeq: number, toSeq: number, limit: number) {
    return db
      .selectFrom('audit_entries')
      .selectAll()
      .where('seq', '>=', fromSeq)
      .where('seq', '<=', toSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  },
  /** The lowest entry numbered at or below `startSeq` (0, or the last entry removed from the start): the chain holds none. */
  firstStrayEntry(db: Executor, startSeq = 0) {
    return db
      .selectFrom('audit_entries')
      .select('seq')
      .where('seq', '<=', startSeq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  },
};
