import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { csrfTokenIn } from '../support/httpClient.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

/** A public form posted as public/app.js posts it: same fields and CSRF token, plus its header. */
describe.each(testDatabases)('forms sent by the page script on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  async function postFeedback(text: string, headers: Record<string, string>) {
    const form = await t.app.inject('/feedback');
    const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const payload = new URLSearchParams({ _csrf: csrfTokenIn(form.body), text }).toString();
    return t.app.inject({
      method: 'POST',
      url: '/feedback',
      payload,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
    });
  }

  it('answers a redirect with its address in a header, so the page can move on with location.replace', async () => {
    const res = await postFeedback('Sent by the script', { 'x-liaison-navigation': 'replace' });
    expect(res.statusCode).toBe(204);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['x-liaison-location']).toBe('/feedback/thank-you');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toBe('');
  });

  it('changes nothing else: a form with a mistake is the same page, and ordinary posts are redirected', async () => {
    const mistake = await postFeedback('A'.repeat(2001), { 'x-liaison-navigation': 'replace' });
    expect(mistake.statusCode).toBe(400);
    expect(mistake.headers['x-liaison-location']).toBeUndefined();
    expect(mistake.body).toContain('There is a problem');

    const ordinary = await postFeedback('Sent by the browser', {});
    expect(ordinary.statusCode).toBe(303);
    expect(ordinary.headers.location).toBe('/feedback/thank-you');
    expect(ordinary.headers['x-liaison-location']).toBeUndefined();

    const otherValue = await postFeedback('Some other header value', { 'x-liaison-navigation': 'push' });
    expect(otherValue.statusCode).toBe(303);
  });
});
