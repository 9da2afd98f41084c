import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/app.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

describe('what the logs never contain', () => {
  let t: TestApp;
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOG_LEVEL: 'trace' });
    app = await createApp(t.services, { logStream: { write: (line) => void lines.push(line) } });
    app.get('/boom', { config: { access: { kind: 'public' } } }, async () => {
      throw new Error('database exploded');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('logs requests by route pattern only: no address, agent, cookie, token, query or body', async () => {
    const secrets = {
      token: 'tok3nSECRETvalue1234567890abcdef',
      cookie: 'c00kieSECRETvalue',
      agent: 'SecretAgent/1.0 (shared phone)',
      forwarded: '203.0.113.77',
      body: 'I was attacked by DAVE-SECRET',
      receipt: '4111222233334444',
    };
    await app.inject({
      method: 'GET',
      url: `/invitation/${secrets.token}?code=${secrets.receipt}`,
      headers: {
        cookie: `session=${secrets.cookie}`,
        'user-agent': secrets.agent,
        'x-forwarded-for': secrets.forwarded,
      },
      remoteAddress: '198.51.100.23',
    });
    await app.inject({
      method: 'POST',
      url: '/feedback',
      payload: `text=${encodeURIComponent(secrets.body)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${secrets.token}` },
      remoteAddress: '198.51.100.23',
    });
    await app.inject({ method: 'GET', url: `/boom?receipt=${secrets.receipt}`, remoteAddress: '198.51.100.23' });

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    for (const secret of [...Object.values(secrets), '198.51.100.23', '127.0.0.1']) {
      expect(log).not.toContain(secret);
    }
    // The failure is logged with its reference, for staff to find.
    expect(log).toContain('database exploded');
    expect(log).toMatch(/"reference":"[0-9A-F]{8}"/);
  });

  it('shows people a reference number, never the error or a stack trace', async () => {
    const res = await app.inject('/boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).toContain('Sorry, there was a technical problem');
    expect(res.body).toMatch(/<strong>[0-9A-F]{8}<\/strong>/);
    expect(res.body).not.toContain('database exploded');
    expect(res.body).not.toContain('.ts:');
  });
});
