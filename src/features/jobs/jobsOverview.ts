import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { AuditTrail } from '../audit/index.ts';
import { jobRepository as repo } from './jobRepository.ts';
import type { JobRunner } from './jobRunner.ts';

export interface JobTypeStatus {
  type: string;
  description: string;
  schedule: string | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  nextRunAt: string | null;
  /** A short code while the last run failed; cleared by the next success. */
  lastError: string | null;
  /** Failed runs in a row (scheduled) or failed jobs not yet dismissed (queued). */
  failures: number;
  waiting: number;
  lastDetail: string | null;
}

export interface FailedJob {
  id: string;
  type: string;
  error: string | null;
  attempts: number;
  failedAt: string;
}

/** What administrators and `liaison jobs list` see of the job runner; failures stay until dismissed or outgrown. */
export class JobsOverview {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly runner: JobRunner,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  async types(): Promise<JobTypeStatus[]> {
    const schedules = new Map((await repo.schedules(this.db)).map((s) => [s.type, s]));
    const counts = new Map((await repo.summary(this.db)).map((c) => [c.type, c]));
    return this.runner.describe().map((definition) => {
      const schedule = schedules.get(definition.type);
      const count = counts.get(definition.type);
      return {
        type: definition.type,
        description: definition.description,
        schedule: definition.schedule ?? null,
        lastRunAt: schedule?.last_run_at ?? count?.lastFinished ?? null,
        lastSuccessAt: schedule?.last_success_at ?? count?.lastFinished ?? null,
        nextRunAt: schedule?.next_run_at ?? null,
        lastError: schedule?.last_error ?? null,
        failures: definition.schedule ? (schedule?.failures ?? 0) : (count?.failed ?? 0),
        waiting: count?.waiting ?? 0,
        lastDetail: schedule?.last_detail ?? null,
      };
    });
  }

  async failed(): Promise<FailedJob[]> {
    return (await repo.failed(this.db, 100)).map((row) => ({
      id: row.id,
      type: row.type,
      error: row.last_error,
      attempts: row.attempts,
      failedAt: row.failed_at ?? row.created_at,
    }));
  }

  /** Hides a failed job from the list (it is not run again); audited. */
  async dismiss(actor: { userId: string; orgId: string }, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const dismissed = await repo.dismiss(trx, id, this.now().toISOString());
      if (dismissed)
        await this.audit.record(
          {
            actorKind: 'user',
            actorId: actor.userId,
            orgId: actor.orgId,
            action: 'job.dismissed',
            targetKind: 'job',
            targetId: id,
          },
          trx,
        );
      return dismissed;
    });
  }
}
