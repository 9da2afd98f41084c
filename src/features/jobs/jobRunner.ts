import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import { randomId } from '../../platform/crypto/index.ts';
import type { Dialect } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import { jobRepository as repo, type JobRow } from './jobRepository.ts';
import type { JobPayload, JobQueue } from './jobQueue.ts';

/** What a handler may say about its run, in a few words without personal data ("3 sessions removed"). */
export type JobOutcome = string | void;

export interface JobDefinition {
  type: string;
  /** Runs one job. Throwing retries it later with back-off, until `maxAttempts` are spent. */
  run(payload: JobPayload, job: { id: string; attempt: number }): Promise<JobOutcome>;
  /** A cron expression (Europe/London time) for work that recurs; one run per slot across instances. */
  schedule?: string;
  /** Tries for a scheduled job before it shows as failed (a queued job says its own). */
  maxAttempts?: number;
  /** Said on /admin/jobs: what the job is for. */
  description: string;
}

export interface JobRunnerOptions {
  /** How often a running runner looks for due work. */
  pollMs: number;
  /** How long a claimed job is held before another runner may take it; renewed while it runs. */
  leaseMs: number;
  batch: number;
  /** Where failures are reported: the job type, its id and a short code only, never a payload. */
  onError(context: { type: string; jobId: string; code: string; willRetry: boolean }): void;
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;
const SCHEDULED_MAX_ATTEMPTS = 3;
export const TIMEZONE = 'Europe/London';

/** A short error code (a driver's or mailer's code, else the error's class), never its message. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_.:-]{1,40}$/.test(code)) return code;
  if (error instanceof Error && /^[A-Za-z0-9_]{1,40}$/.test(error.name)) return error.name;
  return 'error';
}

/** 30 s, 1, 2, 4 … minutes, at most an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), LONGEST_RETRY_MS);
}

export function nextSlot(cron: string, after: Date): Date {
  const next = new Cron(cron, { timezone: TIMEZONE }).nextRun(after);
  if (!next) throw new Error(`the schedule "${cron}" has no future run`);
  return next;
}

/**
 * Runs jobs: the rows of `jobs`, and the scheduled kinds in `job_schedules`.
 * Every instance may run one; the database decides who takes what (leases,
 * compare-and-set on schedule slots), so nothing runs twice at once.
 */
export class JobRunner {
  readonly id = `runner-${randomId().slice(0, 12)}`;
  private readonly definitions = new Map<string, JobDefinition>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly queue: JobQueue,
    private readonly now: () => Date,
    private readonly options: JobRunnerOptions,
  ) {}

  define(definition: JobDefinition): void {
    if (this.definitions.has(definition.type)) throw new Error(`job type ${definition.type} is defined twice`);
    if (definition.schedule) nextSlot(definition.schedule, this.now());
    this.definitions.set(definition.type, definition);
  }

  describe(): readonly JobDefinition[] {
    return [...this.definitions.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** Writes each scheduled kind's row (new kinds, and a cron expression the code changed). */
  async syncSchedules(): Promise<void> {
    for (const definition of this.definitions.values()) {
      if (!definition.schedule) continue;
      await repo.upsertSchedule(this.db, {
        type: definition.type,
        cron: definition.schedule,
        next_run_at: nextSlot(definition.schedule, this.now()).toISOString(),
      });
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.ticking ??= this.tick()
        .catch((error: unknown) =>
          this.options.onError({ type: '(runner)', jobId: '-', code: errorCode(error), willRetry: true }),
        )
        .then(() => 0)
        .finally(() => {
          this.ticking = undefined;
        });
    };
    this.timer = setInterval(loop, this.options.pollMs);
    this.timer.unref();
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Queues the scheduled slots that are due, then runs due jobs (of `only` these types); returns how many ran. */
  async tick(only?: readonly string[]): Promise<number> {
    await this.queueDueSchedules();
    let ran = 0;
    for (;;) {
      const claimed = await this.claim(only);
      if (!claimed.length) return ran;
      for (const job of claimed) await this.run(job);
      ran += claimed.length;
      if (this.stopped && this.timer) return ran;
    }
  }

  /** Runs everything due now, and what that queues for now, until nothing is left (tests, `liaison jobs run`). */
  async runUntilIdle(only?: readonly string[]): Promise<number> {
    let total = 0;
    for (let ran = await this.tick(only); ran > 0; ran = await this.tick(only)) total += ran;
    return total;
  }

  private async queueDueSchedules(): Promise<void> {
    const now = this.now();
    for (const schedule of await repo.schedules(this.db)) {
      const definition = this.definitions.get(schedule.type);
      if (!definition?.schedule || schedule.next_run_at > now.toISOString()) continue;
      // Slots missed while no runner ran are run once, not once each.
      const next = nextSlot(definition.schedule, now).toISOString();
      await this.db.transaction().execute(async (trx) => {
        if (await repo.advanceSchedule(trx, schedule.type, schedule.next_run_at, next, now.toISOString()))
          await this.queue.enqueue(
            trx,
            schedule.type,
            {},
            {
              dedupeKey: `schedule:${schedule.type}`,
              maxAttempts: definition.maxAttempts ?? SCHEDULED_MAX_ATTEMPTS,
            },
          );
      });
    }
  }

  private claim(only?: readonly string[]): Promise<JobRow[]> {
    const now = this.now();
    const defined = [...this.definitions.keys()];
    return repo.claim(this.db, this.dialect, {
      types: only ? defined.filter((type) => only.includes(type)) : defined,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + this.options.leaseMs).toISOString(),
      runner: this.id,
      limit: this.options.batch,
    });
  }

  private async run(job: JobRow): Promise<void> {
    const definition = this.definitions.get(job.type);
    if (!definition) return;
    const scheduled = job.dedupe_key === `schedule:${job.type}`;
    // A long job keeps its lease; one whose runner died loses it and is taken again.
    const renew = setInterval(
      () => {
        const until = new Date(this.now().getTime() + this.options.leaseMs).toISOString();
        repo.extendLease(this.db, job.id, this.id, until).catch(() => {});
      },
      Math.max(1000, Math.floor(this.options.leaseMs / 3)),
    );
    renew.unref();
    try {
      const outcome = await definition.run(JSON.parse(job.payload) as JobPayload, {
        id: job.id,
        attempt: job.attempts,
      });
      const at = this.now().toISOString();
      await repo.finish(this.db, job.id, this.id, at);
      if (scheduled) await repo.recordScheduledOutcome(this.db, job.type, { at, error: null, detail: outcome || null });
    } catch (error) {
      const code = errorCode(error);
      const willRetry = job.attempts < job.max_attempts;
      const at = this.now();
      await repo.fail(this.db, {
        id: job.id,
        runner: this.id,
        code,
        at: at.toISOString(),
        retryAt: willRetry ? new Date(at.getTime() + retryDelayMs(job.attempts)).toISOString() : null,
      });
      if (scheduled)
        await repo.recordScheduledOutcome(this.db, job.type, { at: at.toISOString(), error: code, detail: null });
      this.options.onError({ type: job.type, jobId: job.id, code, willRetry });
    } finally {
      clearInterval(renew);
    }
  }
}
