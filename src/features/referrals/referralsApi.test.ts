import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { createStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the referrals API on %s', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let officerEmail = '';
  let otherForceOfficerEmail = '';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    for (const slug of ['northshire', 'southshire']) {
      const force = await t.services.organisations.create(
        { kind: 'police', name: `${slug} Police`, slug },
        { kind: 'system' },
      );
      await t.services.partnerships.link(support.id, force.id, { kind: 'system' });
    }
    const make = async (name: string, orgSlug: string, role: string) => {
      tokens[name] = (await t.services.apiTokens.create({ orgSlug, role, name }, { kind: 'system' })).token;
    };
    await make('caseworker', 'safe-streets', 'caseworker');
    await make('outreach', 'safe-streets', 'outreach');
    await make('north', 'northshire', 'supervisor');
    await make('northOfficer', 'northshire', 'officer');
    await make('south', 'southshire', 'supervisor');
    officerEmail = (await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' })).email;
    otherForceOfficerEmail = (await createStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'southshire' }))
      .email;
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      payload: body ? JSON.stringify(body) : undefined,
    });

  const report = (consents: Record<string, boolean>) =>
    t.services.reports.submit(
      {
        org: 'safe-streets',
        incidentTypes: ['sexual-assault'],
        account: 'Account in their words',
        occurredOn: '2026-10',
        area: 'Docks',
        consents: {
          support: true,
          warnOthers: false,
          policeIntelligence: false,
          policeReport: false,
          policeContact: false,
          ...consents,
        },
        perpetrator: { names: ['Mr X'], phones: [], emails: [], handles: [] },
        contact: {
          name: 'Jade Person',
          methods: [{ kind: 'phone-call', value: '07700900111', safeToLeaveMessage: true }],
        },
      },
      { source: 'online', recordedBy: null, idempotencyKey: undefined },
    );

  it('sends at a level the person agreed to (201 { id }) and answers 409 consent-required otherwise', async () => {
    const { reference, reportId } = await report({ policeIntelligence: true });
    const refused = await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
      force: 'northshire',
      level: 'full',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'consent-required' } });
    const sent = await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
      force: 'northshire',
      level: 'intelligence',
    });
    expect(sent.statusCode).toBe(201);
    const { id } = sent.json();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await t.services.db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ report_id: reportId, level: 'intelligence', status: 'new', sent_by_kind: 'token' });
    // Without a summary, the redacted draft is what goes.
    const view = await call('GET', `/api/v1/referrals/${id}`, tokens.north!);
    expect(view.json().content.summary).toContain('Mr X');
    expect(view.json().content.summary).not.toContain('Jade');
    expect(view.json()).not.toHaveProperty('victim');

    expect(
      (
        await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
          force: 'nowhere',
          level: 'intelligence',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
          force: 'northshire',
          level: 'everything',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.outreach!, {
          force: 'northshire',
          level: 'intelligence',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', `/api/v1/reports/R-AAAA-AAAA/referrals`, tokens.caseworker!, {
          force: 'northshire',
          level: 'intelligence',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('lists and shows only the own force’s referrals, with a victim object only while consent is current', async () => {
    const { reference, reportId } = await report({ policeReport: true, policeContact: true });
    const { id } = (
      await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
        force: 'northshire',
        level: 'full',
        summary: 'Note',
      })
    ).json();
    const list = await call('GET', '/api/v1/referrals', tokens.north!);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual({
      id,
      level: 'full',
      status: 'new',
      receivedAt: expect.any(String),
      crimeReference: null,
    });
    expect(
      (await call('GET', '/api/v1/referrals', tokens.south!)).json().items.map((i: { id: string }) => i.id),
    ).not.toContain(id);
    expect((await call('GET', `/api/v1/referrals/${id}`, tokens.south!)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/referrals/${id}`, tokens.northOfficer!)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/referrals', tokens.caseworker!)).statusCode).toBe(404);

    const full = (await call('GET', `/api/v1/referrals/${id}`, tokens.north!)).json();
    expect(full).toMatchObject({
      level: 'full',
      consent: { current: true, withdrawnAt: null },
      content: { account: 'Account in their words', summary: 'Note' },
      victim: {
        name: 'Jade Person',
        contact: [{ kind: 'phone-call', value: '07700900111', safeToLeaveMessage: true, safeTimes: null }],
      },
    });
    await t.services.reports.changeConsent(reportId, 'policeReport', false, 'online', null);
    const withdrawn = (await call('GET', `/api/v1/referrals/${id}`, tokens.north!)).json();
    expect(withdrawn).toMatchObject({ consent: { current: false, withdrawnAt: expect.any(String) } });
    expect(withdrawn).not.toHaveProperty('victim');
    expect(withdrawn).not.toHaveProperty('content');
    expect(JSON.stringify(withdrawn)).not.toContain('Jade');
    const audited = await t.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('action', '=', 'referral.viewed')
      .where('target_id', '=', id)
      .execute();
    expect(audited.map((a) => a.actor_kind)).toEqual(['api-token', 'api-token']);
    expect(
      (await call('POST', `/api/v1/referrals/${id}/accept`, tokens.north!, { crimeReference: 'NS/1/26' })).json(),
    ).toMatchObject({ error: { code: 'consent-withdrawn' } });
  });

  it('accepts with a crime reference and an officer by email (→ caseId), and declines with a reason', async () => {
    const { reference } = await report({ policeReport: true });
    const first = (
      await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
        force: 'northshire',
        level: 'full',
      })
    ).json().id;
    const second = (
      await call('POST', `/api/v1/reports/${reference}/referrals`, tokens.caseworker!, {
        force: 'northshire',
        level: 'full',
      })
    ).json().id;
    expect(
      (
        await call('POST', `/api/v1/referrals/${first}/accept`, tokens.north!, {
          crimeReference: 'NS/2/26',
          officer: otherForceOfficerEmail,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `/api/v1/referrals/${first}/accept`, tokens.north!, { crimeReference: '' })).statusCode,
    ).toBe(400);
    expect(
      (await call('POST', `/api/v1/referrals/${first}/accept`, tokens.south!, { crimeReference: 'SS/1/26' }))
        .statusCode,
    ).toBe(404);
    const accepted = await call('POST', `/api/v1/referrals/${first}/accept`, tokens.north!, {
      crimeReference: 'NS/2/26',
      officer: officerEmail.toUpperCase(),
    });
    expect(accepted.statusCode).toBe(200);
    const { caseId } = accepted.json();
    const policeCase = await t.services.db
      .selectFrom('police_cases')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(policeCase).toMatchObject({ referral_id: first, crime_reference: 'NS/2/26' });
    expect((await call('GET', `/api/v1/referrals/${first}`, tokens.north!)).json()).toMatchObject({
      status: 'accepted',
      caseId,
      crimeReference: 'NS/2/26',
      officer: { email: officerEmail },
    });
    expect(
      (await call('POST', `/api/v1/referrals/${first}/accept`, tokens.north!, { crimeReference: 'NS/3/26' })).json(),
    ).toMatchObject({ error: { code: 'already-decided' } });

    expect((await call('POST', `/api/v1/referrals/${second}/decline`, tokens.north!, { reason: '' })).statusCode).toBe(
      400,
    );
    const declined = await call('POST', `/api/v1/referrals/${second}/decline`, tokens.north!, {
      reason: 'Kept as intelligence',
    });
    expect(declined.json()).toEqual({ declined: true });
    expect(
      (await call('GET', '/api/v1/referrals?status=declined', tokens.north!))
        .json()
        .items.map((i: { id: string }) => i.id),
    ).toEqual([second]);
  });

  it('documents the operations in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/reports/{reference}/referrals',
        '/api/v1/referrals',
        '/api/v1/referrals/{id}',
        '/api/v1/referrals/{id}/accept',
        '/api/v1/referrals/{id}/decline',
      ]),
    );
  });
});
