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

  // Rate-limit and failure counters are rows in the database; old ones are forgotten hourly.
  const purge = setInterval(() => {
    services.throttle
      .purgeStale()
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not purge old throttle rows'));
  }, 60 * 60_000);
  purge.unref();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    clearInterval(purge);
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
