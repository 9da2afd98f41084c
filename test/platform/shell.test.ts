import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

describe.each(testDatabases)('HTTP platform on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('answers the health and readiness probes', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('sends the security headers and no-store on public pages', async () => {
    const res = await t.app.inject('/');
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(String(res.headers['permissions-policy'])).toContain('camera=()');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // The inline script GOV.UK needs carries this response's nonce.
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    expect(res.body).toContain(`nonce="${nonce}"`);
    // Static pages are rendered once, but every response gets its own nonce.
    const again = await t.app.inject('/');
    const againNonce = /'nonce-([0-9a-f]+)'/.exec(String(again.headers['content-security-policy']))?.[1];
    expect(againNonce).not.toBe(nonce);
    expect(again.body).toContain(`nonce="${againNonce}"`);
    expect(again.body).not.toContain('slot-7f3a');
  });

  it('gives every public page the neutral title and the exit link', async () => {
    const res = await t.app.inject('/');
    expect(res.body).toContain('<title>Information</title>');
    expect(res.body).toMatch(/<a href="\/leave"[^>]*data-exit-link/);
  });

  it('leaves: clears site data and redirects to the exit address', async () => {
    const res = await t.app.inject('/leave');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('https://www.bbc.co.uk/weather');
    expect(res.headers['clear-site-data']).toContain('"cookies"');
  });

  it('serves our assets but never the GOV.UK fonts', async () => {
    expect((await t.app.inject('/assets/app.css')).statusCode).toBe(200);
    expect((await t.app.inject('/assets/govuk/govuk-frontend.min.js')).statusCode).toBe(200);
    expect((await t.app.inject('/assets/govuk/images/govuk-crest.svg')).statusCode).toBe(200);
    const fonts = await t.app.inject('/assets/govuk/assets/fonts/light-94a07e06a1-v2.woff2');
    expect(fonts.statusCode).toBe(404);
    expect((await t.app.inject('/assets/app.css')).body).not.toContain('GDS Transport');
  });

  it('sends pages and assets compressed to browsers that accept it', async () => {
    const page = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.headers['content-encoding']).toBe('br');
    const css = await t.app.inject({ url: '/assets/app.css', headers: { 'accept-encoding': 'gzip' } });
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(Number(css.headers['content-length'] ?? css.rawPayload.length)).toBeLessThan(20_000);
    expect(css.headers['cache-control']).toContain('max-age');
  });

  it('answers unknown pages with a friendly 404 and rate-limits them', async () => {
    const res = await t.app.inject('/no-such-page');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
    let limited = false;
    for (let i = 0; i < 80 && !limited; i += 1) limited = (await t.app.inject('/no-such-page')).statusCode === 429;
    expect(limited).toBe(true);
  });
});
