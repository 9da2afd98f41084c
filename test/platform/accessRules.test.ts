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
