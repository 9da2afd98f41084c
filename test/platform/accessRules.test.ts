import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/testApp.ts';

describe('deny by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('every registered route declares who may call it', () => {
    expect(t.app.undeclaredRoutes()).toEqual([]);
  });

  it('keeps every staff page and API operation shut to anonymous callers', async () => {
    const routes = t.app.registeredRoutes().filter((r) => !r.route.startsWith('HEAD'));
    expect(routes.length).toBeGreaterThan(20);
    for (const { route, access } of routes) {
      const [method, url] = route.split(' ') as [string, string];
      const concrete = url.replace(/:\w+/g, 'x').replace('*', 'x');
      if (access === 'staff' || access === 'signing-in') {
        const res = await t.app.inject({ method: method as 'GET', url: concrete });
        // Form posts are refused before reaching the handler (no session, no CSRF token).
        expect([303, 403], route).toContain(res.statusCode);
        if (res.statusCode === 303) expect(res.headers.location, route).toBe('/sign-in');
      }
      if (access === 'api' || access === 'member-or-api') {
        const res = await t.app.inject({ method: method as 'GET', url: concrete });
        expect(res.statusCode, route).toBe(401);
      }
      if (access === 'metrics') {
        // Monitoring is off unless configured, and then only for its addresses or token.
        expect((await t.app.inject({ method: method as 'GET', url: concrete })).statusCode, route).toBe(404);
      }
      expect(['public', 'staff', 'signing-in', 'api', 'member-or-api', 'metrics'], route).toContain(access);
    }
  });

  it('a route that forgets to declare is refused for everybody', async () => {
    const { startTestApp: start } = await import('../support/testApp.ts');
    const other = await start('sqlite');
    try {
      // Registering after ready() is not allowed, so build a fresh instance with one forgetful route.
      const { createApp } = await import('../../src/app.ts');
      const app = await createApp(other.services);
      app.get('/forgot-to-declare', async () => 'secret');
      await app.ready();
      expect(app.undeclaredRoutes()).toEqual(['GET /forgot-to-declare', 'HEAD /forgot-to-declare']);
      const res = await app.inject('/forgot-to-declare');
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('secret');
      await app.close();
    } finally {
      await other.close();
    }
  });
});
