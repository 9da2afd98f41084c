import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** A table holding field ciphertexts: its primary key column and its `*_enc` columns. */
export interface EncryptedTable {
  table: string;
  key: string;
  columns: string[];
}

/** What to write to one row: for each column, the ciphertext read and the one to put in its place. */
export interface RewrapRow {
  key: string;
  values: { column: string; read: string; written: string }[];
}

/** One row still holding a ciphertext not written with the wanted key: its primary key and its `*_enc` values. */
export interface StaleRow {
  key: string;
  values: Record<string, string | null>;
}

/** A column's value written with another key than the one `prefix` names (null is nothing to rewrap). */
const stale = (column: string, prefix: string) =>
  sql<boolean>`(${sql.ref(column)} is not null and substr(${sql.ref(column)}, 1, ${sql.lit(prefix.length)}) <> ${prefix})`;

/**
 * SQL that walks every encrypted column of every table, whatever feature owns
 * it: the tables are read from the database's own catalogue, so a column added
 * by a later migration is covered without being listed anywhere.
 */
export const encryptedColumnsRepository = {
  /** Every table with `*_enc` columns, with its single-column primary key, by table name. */
  async tables(db: Executor, dialect: Dialect): Promise<EncryptedTable[]> {
    const { rows } =
      dialect === 'sqlite'
        ? await sql<{ table_name: string; column_name: string; pk: number }>`
            select m.name as table_name, p.name as column_name, p.pk as pk
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'
            order by m.name, p.cid`.execute(db)
        : await sql<{ table_name: string; column_name: string; pk: number }>`
            select c.table_name, c.column_name,
              case when exists (
                select 1 from information_schema.table_constraints t
                join information_schema.key_column_usage k
                  on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema
                  and k.table_name = t.table_name
                where t.constraint_type = 'PRIMARY KEY' and t.table_schema = c.table_schema
                  and t.table_name = c.table_name and k.column_name = c.column_name
              ) then 1 else 0 end as pk
            from information_schema.columns c
            where c.table_schema = current_schema()
            order by c.table_name, c.ordinal_position`.execute(db);
    const byTable = new Map<string, { keys: string[]; columns: string[] }>();
    for (const row of rows) {
      const entry = byTable.get(row.table_name) ?? { keys: [], columns: [] };
      if (Number(row.pk) > 0) entry.keys.push(row.column_name);
      if (row.column_name.endsWith('_enc')) entry.columns.push(row.column_name);
      byTable.set(row.table_name, entry);
    }
    const tables: EncryptedTable[] = [];
    for (const [table, { keys, columns }] of byTable) {
      if (!columns.length) continue;
      // Rewrapping writes by primary key: a table without a single-column one must not be skipped silently.
      if (keys.length !== 1) throw new Error(`${table} has encrypted columns but no single-column primary key`);
      tables.push({ table, key: keys[0]!, columns });
    }
    return tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  },

  /**
   * The next rows, in primary-key order after `after`, with at least one value
   * not written with the key `prefix` names. Read outside any transaction: the
   * decrypting happens between this read and the write.
   */
  async staleRows(
    db: Executor,
    t: EncryptedTable,
    prefix: string,
    after: string | null,
    limit: number,
  ): Promise<StaleRow[]> {
    const { rows } = await sql<Record<string, string | null>>`
      select ${sql.join([t.key, ...t.columns].map((c) => sql.ref(c)))}
      from ${sql.table(t.table)}
      where ${after === null ? sql`1 = 1` : sql`${sql.ref(t.key)} > ${after}`}
        and (${sql.join(
          t.columns.map((c) => stale(c, prefix)),
          sql` or `,
        )})
      order by ${sql.ref(t.key)}
      limit ${sql.lit(limit)}`.execute(db);
    return rows.map((row) => ({
      key: String(row[t.key]),
      values: Object.fromEntries(t.columns.map((c) => [c, row[c] ?? null])),
    }));
  },

  /**
   * Compare-and-set, one statement for the whole batch: writes each new
   * ciphertext only where its column still holds the one that was read, so a
   * value changed meanwhile is left as it now is. Returns how many rows were
   * written. (VALUES columns are column1, column2, ... on both databases.)
   */
  async rewrapRows(db: Executor, t: EncryptedTable, rows: RewrapRow[]): Promise<number> {
    const columns = t.columns.filter((c) => rows.some((r) => r.values.some((v) => v.column === c)));
    if (!columns.length) return 0;
    const read = (i: number) => sql.ref(`v.column${2 + 2 * i}`);
    const written = (i: number) => sql.ref(`v.column${3 + 2 * i}`);
    const tuples = rows.map((r) => {
      const cells = columns.flatMap((c) => {
        const value = r.values.find((v) => v.column === c);
        return [value?.read ?? null, value?.written ?? null];
      });
      return sql`(${sql.join([r.key, ...cells])})`;
    });
    const result = await sql`
      update ${sql.table(t.table)}
      set ${sql.join(
        columns.map(
          (c, i) =>
            sql`${sql.ref(c)} = case when ${sql.ref(`${t.table}.${c}`)} = ${read(i)} then ${written(i)} else ${sql.ref(`${t.table}.${c}`)} end`,
        ),
      )}
      from (values ${sql.join(tuples)}) as v
      where ${sql.ref(`${t.table}.${t.key}`)} = ${sql.ref('v.column1')}
        and (${sql.join(
          columns.map((c, i) => sql`${sql.ref(`${t.table}.${c}`)} = ${read(i)}`),
          sql` or `,
        )})`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  },

  /** How many rows still hold a value not written with the key `prefix` names. */
  async staleCount(db: Executor, t: EncryptedTable, prefix: string): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(t.table)}
      where ${sql.join(
        t.columns.map((c) => stale(c, prefix)),
        sql` or `,
      )}`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },

  /** How many values (not rows) were written with the key `prefix` names. */
  async valuesWith(db: Executor, t: EncryptedTable, prefix: string): Promise<number> {
    const { rows } = await sql<{ n: number | string | null }>`
      select sum(${sql.join(
        t.columns.map(
          (c) => sql`case when substr(${sql.ref(c)}, 1, ${sql.lit(prefix.length)}) = ${prefix} then 1 else 0 end`,
        ),
        sql` + `,
      )}) as n
      from ${sql.table(t.table)}`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },
};
