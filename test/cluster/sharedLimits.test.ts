import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../support/databases.ts';

const REPORT = { incidentTypes: ['physical-assault'], account: 'He hit me near the arches.' };

describe.each(testDatabases)('limits shared by instances on %s', (kind) => {
  let scratch: ScratchDatabase;
  const masterKey = crypto.randomBytes(32).toString('base64');
  const instances: { app: FastifyInstance; services: Services }[] = [];

  /** One more app instance on the same database and master key, as a second server would be. */
  async function instance(env: Record<string, string>) {
    const config = loadConfig({
      DATA_DIR: scratch.dataDir,
      LIAISON_MASTER_KEY: masterKey,
      LOG_LEVEL: 'silent',
      ...env,
    });
    const services = await buildServices(config, { databaseTarget: scratch.target });
    const app = await createApp(services);
    await app.ready();
    instances.push({ app, services });
    return app;
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
  });
  afterAll(async () => {
    for (const { app, services } of instances) {
      await app.close();
      await services.close();
    }
    await scratch.drop();
  });

  const submit = (app: FastifyInstance, address: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      remoteAddress: address,
      payload: JSON.stringify(REPORT),
      headers: { 'content-type': 'application/json' },
    });

  it('counts report submissions from one address across both instances, per address, and stores no address', async () => {
    const a = await instance({ REPORT_SUBMISSION_LIMIT: '3' });
    const b = await instance({ REPORT_SUBMISSION_LIMIT: '3' });
    await instances[0]!.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );

    expect((await submit(a, '203.0.113.7')).statusCode).toBe(201);
    expect((await submit(b, '203.0.113.7')).statusCode).toBe(201);
    expect((await submit(a, '203.0.113.7')).statusCode).toBe(201);
    // In-memory counting would allow three more on each instance.
    for (const app of [b, a]) {
      const refused = await submit(app, '203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another address has its own count.
    expect((await submit(b, '198.51.100.20')).statusCode).toBe(201);

    const rows = await instances[0]!.services.db.selectFrom('throttles').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113|198\.51\.100|api\/v1/);
  });

  it('takes no limit when REPORT_SUBMISSION_LIMIT is 0', async () => {
    expect(loadConfig({}).reportSubmissionLimit).toBe(120);
    const unlimited = await instance({ REPORT_SUBMISSION_LIMIT: '0' });
    for (let i = 0; i < 5; i++) expect((await submit(unlimited, '192.0.2.44')).statusCode).toBe(201);
  });

  it('shares the not-found limit too', async () => {
    const [a, b] = [instances[0]!.app, instances[1]!.app];
    const codes: number[] = [];
    for (let i = 0; i < 61; i++)
      codes.push((await (i % 2 ? a : b).inject({ url: `/no-such-page-${i}`, remoteAddress: '192.0.2.99' })).statusCode);
    expect(codes.slice(0, 60).every((code) => code === 404)).toBe(true);
    expect(codes[60]).toBe(429);
  });
});
