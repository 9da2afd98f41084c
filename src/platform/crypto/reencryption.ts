import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import {
  encryptedColumnsRepository as repo,
  type EncryptedTable,
  type RewrapRow,
} from './encryptedColumnsRepository.ts';
import { FieldCipher } from './fieldCipher.ts';
import { yieldToRequests } from '../eventLoop.ts';

// Measured on 2 cores: 200 rows keep one write on SQLite near 25 ms (the site waits for it), at the same throughput as 500.
export const DEFAULT_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 10_000;

export interface ReencryptOptions {
  /** Rows per table per transaction (default 200): each batch commits on its own. */
  batchSize?: number;
  /** Stop after this many batches in all; the next run carries on where this one stopped. */
  maxBatches?: number;
  /** A pause between batches, leaving the database to the site meanwhile (default none). */
  pauseMs?: number;
  /** Told as each table is finished (or when the run stops in it). */
  onTable?: (progress: TableProgress) => void;
}

export interface TableProgress {
  table: string;
  /** Rows rewritten by this run. */
  rewrapped: number;
  /** Values that could not be decrypted; they stay as they are and their rows count in `left`. */
  unreadable: number;
  /** Rows still holding a value written with another key than the active one. */
  left: number;
}

export interface ReencryptResult {
  /** The key everything was rewrapped with. */
  keyId: string;
  tables: TableProgress[];
  rewrapped: number;
  unreadable: number;
  left: number;
  /** False when `maxBatches` stopped the run before it had been through every table. */
  complete: boolean;
}

/** Where something is still encrypted with a key: values per table (tables without any are left out). */
export type KeyUsage = { table: string; values: number }[];

/**
 * The context a column's values are bound to: `table.column` without `_enc`.
 * Every encrypted column is written that way (checked in the re-encryption
 * test); a value written otherwise would not decrypt and is reported as
 * unreadable, never skipped silently.
 */
export const contextOf = (table: string, column: string): string => `${table}.${column.replace(/_enc$/, '')}`;

/**
 * Re-encryption after a key rotation: every field written with an older data
 * key is rewritten with the active one, table by table in primary-key order,
 * a batch per transaction (one statement). Each batch is read outside the transaction and
 * written by compare-and-set, so the site keeps working, a value changed
 * meanwhile is never overwritten, and a run that stops (crash, `maxBatches`)
 * loses nothing: the next one finds only what is still left.
 */
export class Reencryption {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly cipher: FieldCipher,
  ) {}

  /** Every table with encrypted columns, from the database's catalogue. */
  tables(): Promise<EncryptedTable[]> {
    return repo.tables(this.db, this.dialect);
  }

  async run(options: ReencryptOptions = {}): Promise<ReencryptResult> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE)
      throw new RangeError(`The batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
    // The newest active key, even if another instance started it a moment ago.
    await this.cipher.load();
    const keyId = this.cipher.activeKeyId;
    const prefix = FieldCipher.prefixOf(keyId);
    const budget = { left: options.maxBatches ?? Number.POSITIVE_INFINITY };
    const tables: TableProgress[] = [];
    for (const table of await this.tables()) {
      const done = budget.left > 0 ? await this.table(table, keyId, batchSize, budget, options.pauseMs ?? 0) : null;
      const progress = {
        table: table.table,
        rewrapped: done?.rewrapped ?? 0,
        unreadable: done?.unreadable ?? 0,
        left: await repo.staleCount(this.db, table, prefix),
      };
      tables.push(progress);
      options.onTable?.(progress);
    }
    const sum = (field: 'rewrapped' | 'unreadable' | 'left') => tables.reduce((n, t) => n + t[field], 0);
    return {
      keyId,
      tables,
      rewrapped: sum('rewrapped'),
      unreadable: sum('unreadable'),
      left: sum('left'),
      complete: budget.left > 0 || tables.every((t) => t.left === 0),
    };
  }

  /** Values still written with `keyId`, per table. */
  async usage(keyId: string): Promise<KeyUsage> {
    const prefix = FieldCipher.prefixOf(keyId);
    const usage: KeyUsage = [];
    for (const table of await this.tables()) {
      const values = await repo.valuesWith(this.db, table, prefix);
      if (values) usage.push({ table: table.table, values });
    }
    return usage;
  }

  private async table(
    t: EncryptedTable,
    keyId: string,
    batchSize: number,
    budget: { left: number },
    pauseMs: number,
  ): Promise<{ rewrapped: number; unreadable: number }> {
    const prefix = FieldCipher.prefixOf(keyId);
    let rewrapped = 0;
    let unreadable = 0;
    let after: string | null = null;
    while (budget.left > 0) {
      const rows = await repo.staleRows(this.db, t, prefix, after, batchSize);
      if (!rows.length) break;
      budget.left -= 1;
      const writes: RewrapRow[] = [];
      for (const row of rows) {
        const values = [];
        for (const column of t.columns) {
          const read = row.values[column];
          if (read === null || read === undefined || read.startsWith(prefix)) continue;
          try {
            values.push({ column, read, written: await this.cipher.rewrap(read, contextOf(t.table, column), keyId) });
          } catch {
            unreadable += 1;
          }
        }
        if (values.length) writes.push({ key: row.key, values });
      }
      // One statement, so one short transaction: the site's writes wait for it only briefly.
      if (writes.length) rewrapped += await repo.rewrapRows(this.db, t, writes);
      after = rows.at(-1)!.key;
      if (rows.length < batchSize) break;
      if (pauseMs) await sleep(pauseMs);
      else await yieldToRequests();
    }
    return { rewrapped, unreadable };
  }
}
