import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../app.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe('reporting leaves nothing personal in the logs', () => {
  let t: TestApp;
  let app: FastifyInstance;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOG_LEVEL: 'trace' });
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    app = await createApp(t.services, { logStream: { write: (line) => void lines.push(line) } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('logs no account, perpetrator or contact detail, message or receipt code, through the pages or the API', async () => {
    const markers = ['LOGMARK-ACCOUNT', 'LOGMARK-PERP', 'LOGMARK-CONTACT', 'LOGMARK-MESSAGE', '07700900999'];
    const browser = new TestBrowser(app);
    await browser.get('/report');
    const steps: [string, Record<string, string>][] = [
      ['safe', {}],
      ['what-happened', { account: `It was ${markers[0]}` }],
      ['about-them', { names: markers[1]!, phones: markers[4]! }],
      ['injuries', {}],
      ['choices', {}],
      ['contact', { contactName: markers[2]! }],
    ];
    for (const [slug, fields] of steps) {
      await browser.get(`/report/${slug}`);
      await browser.post(`/report/${slug}`, fields);
    }
    await browser.get('/report/check');
    const sent = await browser.post('/report/check', {});
    const code = /id="receipt-code"[^>]*>([\d ]+)</.exec(sent.body)![1]!;
    await app.inject({
      method: 'POST',
      url: '/api/v1/reports/self/messages',
      payload: JSON.stringify({ body: markers[3] }),
      headers: { 'content-type': 'application/json', authorization: `Receipt ${code}` },
    });
    await browser.get('/check');
    await browser.post('/check', { code });
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [...markers, code, code.replace(/ /g, '')]) expect(log).not.toContain(secret);
  });
});
