import type { Config } from '../config.ts';
import { buildServices, type Services } from '../composition.ts';

/** Builds the same services as the server, runs one command, and closes the database. */
export async function withServices<T>(config: Config, run: (services: Services) => Promise<T>): Promise<T> {
  const services = await buildServices(config);
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}
