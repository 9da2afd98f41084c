import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

describe('metrics settings', () => {
  it('are off by default and refuse bad addresses, naming the variable', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ METRICS_ALLOW: '10.0.0.0/8, 127.0.0.1,::1' }).metrics).toEqual({
      allow: ['10.0.0.0/8', '127.0.0.1', '::1'],
      token: undefined,
    });
    expect(() => loadConfig({ METRICS_ALLOW: '10.0.0.0/33' })).toThrow(/METRICS_ALLOW/);
    expect(() => loadConfig({ METRICS_ALLOW: 'everyone' })).toThrow(/METRICS_ALLOW/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
  });
});

describe('metrics off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('answers not found to everybody, loopback included', async () => {
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(
      404,
    );
  });
});

describe.each(testDatabases)('metrics on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { METRICS_ALLOW: '10.0.0.0/8', METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => t.close());

  const scrape = (headers: Record<string, string> = {}, remoteAddress = '192.0.2.1') =>
    t.app.inject({ url: '/metrics', remoteAddress, headers });

  it('admits the configured addresses and the token, nobody else', async () => {
    expect((await scrape({}, '10.20.30.40')).statusCode).toBe(200);
    expect((await scrape({ authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await scrape()).statusCode).toBe(404);
    expect((await scrape({ authorization: `Bearer ${TOKEN.slice(0, -1)}x` })).statusCode).toBe(404);
    expect((await scrape({ authorization: 'Bearer x' })).statusCode).toBe(404);
  });

  it('counts requests by route pattern and status, with the pool, event loop and throttle, and no personal data', async () => {
    await t.app.inject({
      url: '/setup/secret-setup-token-value-123',
      remoteAddress: '203.0.113.9',
      headers: { 'user-agent': 'AgentMarker/1.0' },
    });
    await t.app.inject({ url: '/no-such-page/ruby-smith', remoteAddress: '203.0.113.9' });
    await t.app.inject({ url: '/healthz' });
    const res = await scrape({}, '10.0.0.1');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.headers['cache-control']).toBe('no-store');
    const text = res.body;
    expect(text).toMatch(/liaison_http_requests_total\{method="GET",route="\/setup\/:token",status="410"\} 1/);
    expect(text).toMatch(/liaison_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(
      /liaison_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\}/,
    );
    expect(text).toContain('liaison_event_loop_delay_p99_seconds');
    expect(text).toMatch(/liaison_throttle_locked_keys 0/);
    if (kind === 'postgres') {
      expect(text).toMatch(/liaison_db_pool_max 10/);
      expect(text).toMatch(/liaison_db_pool_in_use \d+/);
      expect(text).toMatch(/liaison_db_pool_waiting 0/);
    }
    for (const secret of ['secret-setup-token-value-123', 'ruby-smith', '203.0.113.9', 'AgentMarker', TOKEN])
      expect(text).not.toContain(secret);
  });
});
