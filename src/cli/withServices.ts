import type { Config } from '../config.ts';
import { buildServices, type Services } from '../composition.ts';
import type { Output } from './command.ts';

/**
 * Builds the same services as the server (migrating the database first, as the
 * server does), runs one command, and closes the database.
 */
export async function withServices<T>(
  config: Config,
  output: Output,
  run: (services: Services) => Promise<T>,
  options: { keyAuditHead?: boolean } = {},
): Promise<T> {
  const services = await buildServices(config, { migrate: true, ...options });
  try {
    if (services.masterKeyFileCreated) {
      output.err(
        `Created a new master key at ${services.masterKeyFileCreated}. Back it up separately from the data: without it nothing encrypted can be read.`,
      );
    }
    return await run(services);
  } finally {
    await services.close();
  }
}
