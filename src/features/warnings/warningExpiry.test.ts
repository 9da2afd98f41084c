import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { testDatabases } from '../../../test/support/databases.ts';
import { readable } from '../../../test/support/typedIdentifiers.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { addMonths } from './warningService.ts';

describe('WARNING_EXPIRY_MONTHS', () => {
  it('defaults to 12 and refuses values that are not 1 to 60 whole months', () => {
    expect(loadConfig({}).warningExpiryMonths).toBe(12);
    expect(loadConfig({ WARNING_EXPIRY_MONTHS: '6' }).warningExpiryMonths).toBe(6);
    for (const bad of ['0', '61', '1.5', 'twelve', '-3']) {
      expect(() => loadConfig({ WARNING_EXPIRY_MONTHS: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ WARNING_EXPIRY_MONTHS: bad }), bad).toThrow(/WARNING_EXPIRY_MONTHS/);
    }
  });
});

describe.each(testDatabases)('configured warning expiry on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { WARNING_EXPIRY_MONTHS: '3' });
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  it('publishes warnings that expire after the configured number of months', async () => {
    const { reference, reportId } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['stalking'],
        account: 'Followed me',
        consents: {
          support: true,
          warnOthers: true,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const orgId = (
      await t.services.db.selectFrom('reports').select('org_id').where('id', '=', reportId).executeTakeFirstOrThrow()
    ).org_id;
    const input = {
      reports: [reference],
      title: 'Follows people',
      body: 'b',
      type: 'stalking' as const,
      area: null,
      phones: ['07700 900111'],
      registrations: [],
      handles: [],
      vehicle: '',
      description: '',
    };
    const id = await t.services.warnings.draft({ kind: 'token', id: 'token-a', orgId }, input);
    const published = await t.services.warnings.approve({ kind: 'token', id: 'token-b', orgId }, id);
    expect(published.expiresAt).toBe(addMonths(new Date(published.publishedAt), 3).toISOString());
    t.clock.advance(Date.parse(published.expiresAt) - t.clock.now().getTime() + 1);
    expect(await t.services.warnings.published(orgId)).toEqual([]);
    expect(await t.services.warnings.check(orgId, readable('07700 900111'))).toEqual([]);
  });
});
