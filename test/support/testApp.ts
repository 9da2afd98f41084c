import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { createScratchDatabase, type TestDatabaseKind } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  /** The test clock: move it with `clock.advance(ms)`. */
  clock: TestClock;
  close(): Promise<void>;
}

export class TestClock {
  private offset = 0;
  now = (): Date => new Date(Date.now() + this.offset);
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** The real application, with every security control on, on a fresh database of the given kind. */
export async function startTestApp(kind: TestDatabaseKind, env: Record<string, string> = {}): Promise<TestApp> {
  const scratch = await createScratchDatabase(kind);
  const config = loadConfig({
    DATA_DIR: scratch.dataDir,
    LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const clock = new TestClock();
  const services = await buildServices(config, { databaseTarget: scratch.target, now: clock.now });
  const app = await createApp(services);
  await app.ready();
  return {
    app,
    services,
    clock,
    async close() {
      await app.close();
      await services.close();
      await scratch.drop();
    },
  };
}
