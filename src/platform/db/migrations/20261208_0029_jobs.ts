import { sql, type Kysely } from 'kysely';

// The job runner's tables. `jobs` holds work to do later: a producer inserts a
// row in the transaction of its change (so a crash right after the commit
// loses nothing), and a runner claims it by setting a lease (`locked_until`),
// so one job never runs on two instances at once; a runner that dies lets its
// lease lapse and another takes the job again. `dedupe_key` is unique among
// unfinished jobs: a scheduled job cannot be queued twice while one waits or
// runs. `failed_at` is set when retries are spent; the row stays until it is
// dismissed. `job_schedules` has one row per scheduled kind of job, with the
// next slot claimed by compare-and-set, so every slot is queued exactly once
// however many instances run.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('dismissed_at', 'timestamptz')
    .execute();
  await sql`create unique index jobs_one_unfinished_per_key on jobs (dedupe_key) where finished_at is null and failed_at is null`.execute(
    db,
  );
  await db.schema.createIndex('jobs_due').on('jobs').columns(['finished_at', 'failed_at', 'run_at']).execute();
  await db.schema.createIndex('jobs_by_type').on('jobs').columns(['type', 'created_at']).execute();

  await db.schema
    .createTable('job_schedules')
    .addColumn('type', 'text', (c) => c.primaryKey())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_detail', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations never import app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_schedules').execute();
  await db.schema.dropTable('jobs').execute();
}
