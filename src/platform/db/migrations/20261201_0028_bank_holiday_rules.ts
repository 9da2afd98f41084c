import type { Kysely } from 'kysely';

// Bank holidays past the published gov.uk list are computed by the standing
// rules at run time (police-cases/bankHolidays.ts), so the rows 0014 seeded for
// 2028–2030 (computed, never published) are removed: they were shown as "gov.uk"
// and would hide that no published list is loaded for those years. Their dates
// are exactly what the rules give. Administrators' removals of a published or
// computed day are kept as source 'cancelled'.

const COMPUTED_2028_2030: readonly [string, string][] = [
  ['2028-01-03', "New Year's Day (substitute day)"],
  ['2028-04-14', 'Good Friday'],
  ['2028-04-17', 'Easter Monday'],
  ['2028-05-01', 'Early May bank holiday'],
  ['2028-05-29', 'Spring bank holiday'],
  ['2028-08-28', 'Summer bank holiday'],
  ['2028-12-25', 'Christmas Day'],
  ['2028-12-26', 'Boxing Day'],
  ['2029-01-01', "New Year's Day"],
  ['2029-03-30', 'Good Friday'],
  ['2029-04-02', 'Easter Monday'],
  ['2029-05-07', 'Early May bank holiday'],
  ['2029-05-28', 'Spring bank holiday'],
  ['2029-08-27', 'Summer bank holiday'],
  ['2029-12-25', 'Christmas Day'],
  ['2029-12-26', 'Boxing Day'],
  ['2030-01-01', "New Year's Day"],
  ['2030-04-19', 'Good Friday'],
  ['2030-04-22', 'Easter Monday'],
  ['2030-05-06', 'Early May bank holiday'],
  ['2030-05-27', 'Spring bank holiday'],
  ['2030-08-26', 'Summer bank holiday'],
  ['2030-12-25', 'Christmas Day'],
  ['2030-12-26', 'Boxing Day'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('bank_holidays')
    .where('source', '=', 'bundled')
    .where('date', '>=', '2028-01-01')
    .where('date', '<=', '2030-12-31')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // The earlier code counts every row as a holiday: removals cannot be kept.
  await db.deleteFrom('bank_holidays').where('source', '=', 'cancelled').execute();
  const present = new Set(
    (await db.selectFrom('bank_holidays').select('date').execute()).map((r: { date: string }) => r.date),
  );
  const at = new Date().toISOString();
  const rows = COMPUTED_2028_2030.filter(([date]) => !present.has(date)).map(([date, title]) => ({
    date,
    title,
    source: 'bundled',
    added_by_kind: null,
    added_by_id: null,
    added_at: at,
  }));
  if (rows.length) await db.insertInto('bank_holidays').values(rows).execute();
}
