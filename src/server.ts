import type { Config } from './config.ts';
import { createApp } from './app.ts';
import { buildServices } from './composition.ts';
import { announceFirstRunSetup } from './features/setup/firstRun.ts';

/** The process entry point for `liaison serve`: build, listen, shut down cleanly on signals. */
export async function serve(config: Config): Promise<void> {
  const services = await buildServices(config);
  const app = await createApp(services);
  if (services.masterKeyFileCreated) {
    app.log.warn(
      `Created a new master key at ${services.masterKeyFileCreated}. Back it up separately from the data: without it nothing encrypted can be read.`,
    );
  }
  await app.listen({ port: config.port, host: config.host });
  await announceFirstRunSetup(services, (line) => console.log(line));

  // Later and scheduled work (email alerts, housekeeping): here unless `liaison worker` runs it (JOBS_IN_SERVE=off).
  services.reportJobFailuresTo((failure) => app.log.warn(failure, 'job failed'));
  if (config.jobs.inServe) {
    await services.jobRunner.syncSchedules();
    services.jobRunner.start();
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
