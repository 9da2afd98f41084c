import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/**
 * `liaison jobs list`: one line per kind of job (type, state, last run, next
 * run, waiting, last error), then the failed jobs not yet dismissed.
 */
export const jobsList: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(config, output, async (services) => {
    output.out(['type', 'state', 'last run', 'next run', 'waiting', 'error'].join('\t'));
    for (const t of await services.jobsOverview.types()) {
      const failing = Boolean(t.lastError || t.failures);
      output.out(
        [
          t.type,
          failing ? `failing (${t.failures})` : 'ok',
          t.lastRunAt ?? 'never',
          t.schedule ? (t.nextRunAt ?? 'not scheduled yet') : 'when queued',
          String(t.waiting),
          t.lastError ?? '-',
        ].join('\t'),
      );
    }
    const failed = await services.jobsOverview.failed();
    if (failed.length) {
      output.out('');
      output.out('failed jobs (dismiss them on /admin/jobs):');
      for (const f of failed)
        output.out([f.id, f.type, f.failedAt, f.error ?? 'error', `${f.attempts} tries`].join('\t'));
    }
    return 0;
  });
};
