import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../src/platform/nodeVersion.ts';
import { startTestApp, type TestApp } from '../support/testApp.ts';

describe('the Node.js version check at start-up', () => {
  it('accepts 20.19 and later 20.x, and 22.12 and later', () => {
    for (const version of ['v20.19.0', 'v20.20.2', 'v22.12.0', 'v22.20.1', 'v24.1.0'])
      expect(nodeVersionProblem(version), version).toBeUndefined();
  });

  it('refuses versions whose require() cannot load ESM-only packages, saying which is needed', () => {
    for (const version of ['v20.11.0', 'v20.18.3', 'v21.7.3', 'v22.0.0', 'v22.11.0', 'v18.20.4']) {
      const problem = nodeVersionProblem(version);
      expect(problem, version).toContain('Liaison needs Node.js 20.19 or later 20.x, or 22.12 or later');
      expect(problem, version).toContain(`this is Node.js ${version.slice(1)}`);
    }
    expect(nodeVersionProblem('not a version')).toContain('Cannot tell which Node.js version');
  });
});

describe('a malformed web address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('gets the normal error page with every security header, never echoing the address', async () => {
    const page = await t.app.inject('/staff/reports/%ZZ');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('The web address is not valid');
    expect(page.body).toContain('Leave this site');
    expect(page.body).not.toContain('%ZZ');
    for (const header of [
      'content-security-policy',
      'permissions-policy',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'x-content-type-options',
    ]) {
      expect(page.headers[header], header).toBeDefined();
    }
    expect(page.headers['cache-control']).toBe('no-store');

    const api = await t.app.inject('/api/v1/reports/%E0%A4%A?x=1');
    expect(api.statusCode).toBe(400);
    expect(api.json()).toEqual({
      error: { code: 'bad_url', message: 'The web address is not valid. Check it was typed or copied correctly.' },
    });
    expect(api.headers['content-security-policy']).toBeDefined();
    expect(api.body).not.toContain('%E0');
  });
});
