import pino from 'pino';
import { buildServices } from '../../composition.ts';
import { loggerOptions } from '../../platform/logging.ts';
import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';

/**
 * `liaison worker`: runs the job runner alone, without the web server, so an
 * operator can run web and jobs as separate processes (set JOBS_IN_SERVE=off
 * on the web instances then). Any number of workers may run: the database
 * hands each job to one of them. Keeps running until SIGINT or SIGTERM.
 */
export const worker: Command = async (config, args, output) => {
  noArguments(args);
  const services = await buildServices(config, { migrate: true });
  const log = pino(loggerOptions(config));
  services.reportJobFailuresTo((failure) => log.warn(failure, 'job failed'));
  await services.jobRunner.syncSchedules();
  services.jobRunner.start();
  output.err(`Job runner ${services.jobRunner.id} started; stop it with Ctrl-C or SIGTERM.`);
  // The runner's own timer does not hold the process open (the web server does that for `serve`).
  const keepAlive = setInterval(() => {}, 60 * 60_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  await services.close();
  output.err('Job runner stopped.');
  return 0;
};
