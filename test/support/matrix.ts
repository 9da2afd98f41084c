import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestBrowser } from './httpClient.ts';

/** Someone calling routes in a role matrix: their signed-in browser and their organisation's API token for the same role. */
export interface MatrixCaller {
  browser: TestBrowser;
  token: string;
}

/**
 * One call in a role matrix, with an empty body: API paths with the caller's
 * token, pages with their session and a real CSRF token from a page they may
 * see, so only the access rule (or validation, for those allowed) can answer.
 */
export async function callAs(
  app: FastifyInstance,
  caller: MatrixCaller,
  method: string,
  url: string,
): Promise<LightMyRequestResponse> {
  if (url.startsWith('/api/')) {
    const withBody = method !== 'GET';
    const headers = {
      authorization: `Bearer ${caller.token}`,
      ...(withBody ? { 'content-type': 'application/json' } : {}),
    };
    return app.inject({ method: method as 'GET', url, headers, ...(withBody ? { payload: '{}' } : {}) });
  }
  if (method === 'GET') return caller.browser.get(url);
  await caller.browser.get('/staff');
  return caller.browser.post(url, {});
}
