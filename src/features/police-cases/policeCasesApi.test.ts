import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { charityWithForces } from '../../../test/support/policeLiaison.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the case timeline and duties API on %s', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind);
    await charityWithForces(t, ['northshire', 'southshire']);
    for (const [name, orgSlug, role] of [
      ['caseworker', 'safe-streets', 'caseworker'],
      ['liaison', 'safe-streets', 'liaison'],
      ['north', 'northshire', 'supervisor'],
      ['south', 'southshire', 'supervisor'],
    ] as const) {
      tokens[name] = (await t.services.apiTokens.create({ orgSlug, role, name }, { kind: 'system' })).token;
    }
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });

  it('refer → accept → event → duty → met, with the stage derived and other forces refused', async () => {
    const { reference } = await t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['rape'],
        account: 'Account',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: true,
          policeReport: true,
          policeContact: false,
        },
        perpetrator: { names: [], phones: [], emails: [], handles: [] },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );
    const sent = await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
      force: 'northshire',
      level: 'full',
    });
    expect(sent.statusCode).toBe(201);
    const accepted = await call('POST', `/api/v1/referrals/${sent.json().id}/accept`, tokens.north!, {
      crimeReference: 'NS/26/123',
    });
    expect(accepted.statusCode).toBe(200);
    const { caseId } = accepted.json();

    const closedWithout = await call('POST', `/api/v1/cases/${caseId}/events`, tokens.north!, {
      type: 'closed',
      occurredAt: '2026-11-27T18:00:00Z',
    });
    expect(closedWithout.statusCode).toBe(400);
    expect(closedWithout.json().error.message).toContain('outcomeType');

    const event = await call('POST', `/api/v1/cases/${caseId}/events`, tokens.north!, {
      type: 'suspect-arrested',
      occurredAt: '2026-11-27T18:00:00Z',
    });
    expect(event.statusCode).toBe(201);
    // A sexual offence: enhanced rights, 1 working day from a Friday → Monday.
    expect(event.json().duty).toMatchObject({ dueOn: '2026-11-30' });
    expect(
      (
        await call('POST', `/api/v1/cases/${caseId}/events`, tokens.south!, {
          type: 'charged',
          occurredAt: '2026-11-27T18:00:00Z',
        })
      ).statusCode,
    ).toBe(404);
    expect((await call('GET', `/api/v1/cases/${caseId}`, tokens.south!)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/cases/${caseId}`, tokens.caseworker!)).statusCode).toBe(404);

    const view = await call('GET', `/api/v1/cases/${caseId}`, tokens.liaison!);
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      stage: 'suspect-arrested',
      enhancedRights: true,
      events: [{ type: 'suspect-arrested' }],
      duties: [{ id: event.json().duty.id, event: 'suspect-arrested', dueOn: '2026-11-30' }],
    });

    // The test clock runs from the real time, so a deadline of 2026-11-30 is overdue from 2026-12-01 on.
    const open = await call('GET', '/api/v1/duties?state=open', tokens.liaison!);
    expect(open.json().items.map((d: { id: string }) => d.id)).toContain(event.json().duty.id);
    expect(open.json().items.find((d: { id: string }) => d.id === event.json().duty.id)).toMatchObject({
      caseId,
      crimeReference: 'NS/26/123',
      event: 'suspect-arrested',
    });
    expect(
      (await call('GET', '/api/v1/duties?state=open', tokens.north!)).json().items.map((d: { id: string }) => d.id),
    ).toContain(event.json().duty.id);
    expect((await call('GET', '/api/v1/duties?state=open', tokens.south!)).json().items).toEqual([]);

    const met = await call('POST', `/api/v1/duties/${event.json().duty.id}/met`, tokens.liaison!, {
      how: 'via-outreach',
    });
    expect(met.statusCode).toBe(200);
    expect(
      (await call('POST', `/api/v1/duties/${event.json().duty.id}/met`, tokens.north!, { how: 'call' })).statusCode,
    ).toBe(409);
    const after = await call('GET', `/api/v1/cases/${caseId}`, tokens.north!);
    expect(after.json().duties[0].state).toBe('met');
    const doc = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/cases/{caseId}/events',
        '/api/v1/cases/{caseId}',
        '/api/v1/duties/{id}/met',
        '/api/v1/duties',
      ]),
    );
  });
});
