import type { Kysely } from 'kysely';
import type { BackupService } from './features/backup/backupService.ts';
import type { JobQueue } from './features/jobs/jobQueue.ts';
import type { JobRunner } from './features/jobs/jobRunner.ts';
import type { MemberAlerts } from './features/members/memberAlerts.ts';
import type { ReportDrafts } from './features/reporting/reportDrafts.ts';
import type { RetentionService } from './features/retention/retentionService.ts';
import type { SessionStore } from './features/sessions/sessionStore.ts';
import type { SetupService } from './features/setup/setupService.ts';
import type { InvitationService } from './features/staff/invitationService.ts';
import type { KeyService } from './features/keys/keyService.ts';
import type { Throttle } from './features/throttling/throttle.ts';
import type { DB } from './platform/db/schema.ts';

/** What the jobs call: the services built in composition.ts. */
export interface JobServices {
  db: Kysely<DB>;
  now: () => Date;
  jobQueue: Pick<JobQueue, 'purgeFinished' | 'enqueue'>;
  memberAlerts: Pick<MemberAlerts, 'fanOut' | 'deliverPending'>;
  reportDrafts: Pick<ReportDrafts, 'purgeExpired'>;
  sessions: Pick<SessionStore, 'deleteExpired'>;
  throttle: Pick<Throttle, 'purgeStale'>;
  setup: Pick<SetupService, 'purgeExpired'>;
  invitations: Pick<InvitationService, 'purgeLapsed'>;
  retention: Pick<RetentionService, 'apply'>;
  /** Set when BACKUP_DIR is. */
  backups: Pick<BackupService, 'scheduled'> | undefined;
  dataKeys: Pick<KeyService, 'reencrypt'>;
}

const DAY_MS = 24 * 60 * 60_000;
/** The scheduled delivery's own key (see JobRunner), so a delivery asked for now merges with it. */
const DELIVERY_KEY = 'schedule:member-alerts.deliver';
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Every kind of job the service runs, in one place: the composition root knows
 * each feature's services, and each feature only says what a run does.
 * Schedules are cron expressions in Europe/London time, spread over the hour
 * so that the housekeeping does not all start at once.
 */
export function defineJobs(runner: JobRunner, services: JobServices): void {
  runner.define({
    type: 'member-alerts.fan-out',
    description: 'Writes one email alert per member who wants it, after a warning is approved.',
    run: async (payload) => {
      const written = await services.memberAlerts.fanOut(String(payload.warningId), String(payload.orgId));
      // Send now rather than at the next minute: the delivery job, queued once however many warnings wait.
      if (written)
        await services.jobQueue.enqueue(
          services.db,
          'member-alerts.deliver',
          {},
          { dedupeKey: DELIVERY_KEY, maxAttempts: 1 },
        );
      return plural(written, 'alert queued', 'alerts queued');
    },
  });
  runner.define({
    type: 'member-alerts.deliver',
    description: 'Sends the email alerts that are due, retrying failed ones with back-off.',
    schedule: '* * * * *',
    maxAttempts: 1,
    run: async () => {
      const result = await services.memberAlerts.deliverPending();
      if (result.failed.length) {
        const error = new Error('some alerts could not be sent') as Error & { code: string };
        error.code = [...new Set(result.failed.map((f) => f.code))].join(',').slice(0, 40);
        throw error;
      }
      return `${plural(result.sent, 'sent', 'sent')}, ${result.dropped} dropped`;
    },
  });
  runner.define({
    type: 'drafts.purge-expired',
    description: 'Removes unfinished report drafts past their 24 hours.',
    schedule: '7 * * * *',
    run: async () => plural(await services.reportDrafts.purgeExpired(), 'draft removed', 'drafts removed'),
  });
  runner.define({
    type: 'sessions.purge-expired',
    description: 'Removes staff sessions that have ended.',
    schedule: '17 * * * *',
    run: async () => plural(await services.sessions.deleteExpired(), 'session removed', 'sessions removed'),
  });
  runner.define({
    type: 'throttles.purge-stale',
    description: 'Forgets rate-limit and failure counters older than a day.',
    schedule: '27 * * * *',
    run: async () => {
      await services.throttle.purgeStale();
      return 'done';
    },
  });
  runner.define({
    type: 'links.purge-expired',
    description: 'Removes setup links that expired unused, and invitations not accepted 30 days after they lapsed.',
    schedule: '37 3 * * *',
    run: async () => {
      const setupLinks = await services.setup.purgeExpired();
      const invitations = await services.invitations.purgeLapsed();
      return `${plural(setupLinks, 'setup link', 'setup links')} and ${plural(invitations, 'invitation', 'invitations')} removed`;
    },
  });
  runner.define({
    type: 'keys.reencrypt',
    description:
      'Rewraps data still encrypted with an older key with the active one, in batches (queued by a key rotation).',
    run: async () => {
      const result = await services.dataKeys.reencrypt({ kind: 'job' });
      // Unreadable values keep the old key in use: failing keeps that visible here until someone looks.
      if (result.unreadable) {
        const error = new Error('some values could not be decrypted') as Error & { code: string };
        error.code = 'unreadable-values';
        throw error;
      }
      return `${plural(result.rewrapped, 'row', 'rows')} rewrapped, ${result.left} left`;
    },
  });
  const backups = services.backups;
  if (backups)
    runner.define({
      type: 'backup.scheduled',
      description: 'Writes a copy of the database into BACKUP_DIR and removes the oldest beyond BACKUP_KEEP.',
      schedule: '30 1 * * *',
      run: () => backups.scheduled(),
    });
  runner.define({
    type: 'retention.apply',
    description:
      "Applies each organisation's retention schedule: erases reports and member accounts that are due (never one on legal hold) and the oldest audit entries.",
    schedule: '15 2 * * *',
    run: async () => {
      const run = await services.retention.apply();
      return `${plural(run.uncontacted + run.closed, 'report', 'reports')} erased, ${plural(run.members, 'member account', 'member accounts')} removed, ${plural(run.auditEntries, 'audit entry', 'audit entries')} trimmed`;
    },
  });
  runner.define({
    type: 'jobs.purge-finished',
    description: 'Forgets jobs that finished more than 30 days ago (each kind keeps its last run).',
    schedule: '47 3 * * *',
    run: async () =>
      plural(
        await services.jobQueue.purgeFinished(services.db, new Date(services.now().getTime() - 30 * DAY_MS)),
        'job',
        'jobs',
      ) + ' forgotten',
  });
}
