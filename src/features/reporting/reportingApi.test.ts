import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';

describe.each(testDatabases)('the reporting API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
  });
  afterAll(async () => t.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const asReceipt = (code: string) => ({ authorization: `Receipt ${code}` });

  async function send(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const res = await post(
      '/api/v1/reports',
      { incidentTypes: ['physical-assault'], account: 'He hit me near the arches.', ...extra },
      headers,
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { reference: string; receiptCode: string };
  }

  it('takes a report and gives a reference and a 16-digit receipt code', async () => {
    const { reference, receiptCode } = await send({ consents: { support: true, warnOthers: true } });
    expect(reference).toMatch(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(receiptCode).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    const self = await t.app.inject({
      url: '/api/v1/reports/self',
      headers: asReceipt(receiptCode.replace(/ /g, '-')),
    });
    expect(self.statusCode).toBe(200);
    expect(self.json()).toMatchObject({
      reference,
      status: 'new',
      consents: {
        support: true,
        warnOthers: true,
        policeIntelligence: false,
        policeReport: false,
        policeContact: false,
      },
      messages: [],
    });
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const count = async () => (await t.services.db.selectFrom('reports').select('id').execute()).length;
    const before = await count();
    for (const [body, field] of [
      [{ incidentTypes: ['mugging'], account: 'x' }, 'body.incidentTypes.0'],
      [{ account: '' }, 'body.account'],
      [{ account: 'x', occurredOn: '2026-13' }, 'body.occurredOn'],
      [{ account: 'x', consents: { policeContact: true } }, 'body.consents.policeContact'],
    ] as const) {
      const res = await post('/api/v1/reports', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('gives the same report, never two, when a submission is retried', async () => {
    const key = 'retry-key-0123456789abcdef';
    const first = await send({}, { 'idempotency-key': key });
    const second = await send({}, { 'idempotency-key': key });
    expect(second).toEqual(first);
    const rows = await t.services.db
      .selectFrom('reports')
      .select('id')
      .where('reference', '=', first.reference)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses an Idempotency-Key sent again with a different report, and still replays the same one', async () => {
    const key = 'reused-key-0123456789abcdef';
    const first = await send({ area: 'Canal Street', consents: { support: true } }, { 'idempotency-key': key });
    // The same report, its fields in another order, is a retry.
    const retry = await post(
      '/api/v1/reports',
      {
        consents: { support: true },
        area: 'Canal Street',
        account: 'He hit me near the arches.',
        incidentTypes: ['physical-assault'],
      },
      { 'idempotency-key': key },
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first);
    const reports = async () => (await t.services.db.selectFrom('reports').select('id').execute()).length;
    const before = await reports();
    for (const other of [
      { area: 'The Arches', consents: { support: true } },
      { area: 'Canal Street' },
      { area: 'Canal Street', consents: { support: true }, source: 'phone' },
    ]) {
      const reused = await post(
        '/api/v1/reports',
        { incidentTypes: ['physical-assault'], account: 'He hit me near the arches.', ...other },
        { 'idempotency-key': key },
      );
      expect(reused.statusCode, JSON.stringify(other)).toBe(422);
      expect(reused.json().error).toMatchObject({
        code: 'idempotency_key_reused',
        message: expect.stringContaining('Use a new key for a new report'),
      });
    }
    // Nothing was stored for the refused ones, and the key still gives the first report.
    expect(await reports()).toBe(before);
    expect(
      (
        await post(
          '/api/v1/reports',
          {
            incidentTypes: ['physical-assault'],
            account: 'He hit me near the arches.',
            area: 'Canal Street',
            consents: { support: true },
          },
          { 'idempotency-key': key },
        )
      ).json(),
    ).toEqual(first);
  });

  it('lets the person message, add to the report and change their choices, with withdrawal honest at once', async () => {
    const { receiptCode } = await send({ consents: { support: true, policeReport: true, policeContact: true } });
    expect(
      (await post('/api/v1/reports/self/messages', { body: 'Can someone call me?' }, asReceipt(receiptCode)))
        .statusCode,
    ).toBe(201);
    expect(
      (await post('/api/v1/reports/self/additions', { text: 'He drove a blue van.' }, asReceipt(receiptCode)))
        .statusCode,
    ).toBe(201);
    const withdrawn = await post(
      '/api/v1/reports/self/consents',
      { scope: 'policeReport', given: false },
      asReceipt(receiptCode),
    );
    expect(withdrawn.json().consents).toMatchObject({ policeReport: false, policeContact: false, support: true });
    const refused = await post(
      '/api/v1/reports/self/consents',
      { scope: 'policeContact', given: true },
      asReceipt(receiptCode),
    );
    expect(refused.statusCode).toBe(400);
    const view = (await t.app.inject({ url: '/api/v1/reports/self', headers: asReceipt(receiptCode) })).json();
    expect(view.messages).toEqual([{ from: 'you', body: 'Can someone call me?', sentAt: expect.any(String) }]);
    const reportId = (
      await t.services.db
        .selectFrom('reports')
        .select('id')
        .where('reference', '=', view.reference)
        .executeTakeFirstOrThrow()
    ).id;
    const ledger = await t.services.consent.history(reportId);
    expect(ledger.map((e) => `${e.scope}:${e.decision}`)).toEqual([
      'support:given',
      'policeReport:given',
      'policeContact:given',
      'policeReport:withdrawn',
      'policeContact:withdrawn',
    ]);
    await expect(t.services.consent.requireCurrent(reportId, 'policeReport')).rejects.toThrow('has not agreed');
  });

  it('answers a wrong code with one generic 401', async () => {
    for (const header of ['Receipt 0000 0000 0000 0000', 'Receipt 12', 'Bearer nonsense', '']) {
      const res = await t.app.inject({ url: '/api/v1/reports/self', headers: header ? { authorization: header } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_receipt');
    }
  });

  it('stops 10,000 guesses from one address early, and the owner’s code still works from elsewhere', async () => {
    const { receiptCode } = await send();
    const attacker = '198.51.100.66';
    const answers = new Map<string, number>();
    // A hundred at a time, as a guessing script would: parallel guesses do not slip past the count.
    for (let batch = 0; batch < 100; batch += 1) {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const guess = String(1_000_000_000_000_000n + BigInt(batch * 100 + i) * 7919n);
          return t.app.inject({ url: '/api/v1/reports/self', headers: asReceipt(guess), remoteAddress: attacker });
        }),
      );
      for (const res of results) {
        const key = `${res.statusCode} ${res.json().error.code}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
    }
    // Five guesses were checked (a sixth only if the first one-minute wait ran out during the run);
    // every other one was held back unchecked, saying so.
    const checked = answers.get('401 invalid_receipt') ?? 0;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(6);
    expect(answers.get('429 too_many_attempts')).toBe(10_000 - checked);
    // Even the right code is held back from the guessing address for now...
    const held = await t.app.inject({
      url: '/api/v1/reports/self',
      headers: asReceipt(receiptCode),
      remoteAddress: attacker,
    });
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    // ...but works for its owner.
    expect(
      (
        await t.app.inject({
          url: '/api/v1/reports/self',
          headers: asReceipt(receiptCode),
          remoteAddress: '203.0.113.9',
        })
      ).statusCode,
    ).toBe(200);
    const throttles = await t.services.db.selectFrom('throttles').selectAll().execute();
    expect(throttles.some((row) => row.locked_until !== null)).toBe(true);
    expect(JSON.stringify(throttles)).not.toContain(attacker);
  }, 120_000);

  it('encrypts the account, perpetrator details, contact details and messages at rest', async () => {
    const markers = {
      account: 'MARKER-ACCOUNT-5521',
      name: 'MARKER-PERP-NAME-5521',
      phone: '07700900555',
      contact: 'MARKER-CONTACT-5521',
      message: 'MARKER-MESSAGE-5521',
      addition: 'MARKER-ADDITION-5521',
    };
    const { receiptCode } = await send({
      account: `It was ${markers.account}`,
      perpetrator: { names: [markers.name], phones: [markers.phone], vehicle: { registration: 'KX?? ?BC' } },
      contact: { name: markers.contact, methods: [{ kind: 'text', value: '07700900111', safeToLeaveMessage: false }] },
    });
    await post('/api/v1/reports/self/messages', { body: markers.message }, asReceipt(receiptCode));
    await post('/api/v1/reports/self/additions', { text: markers.addition }, asReceipt(receiptCode));
    let raw = '';
    for (const table of [
      'reports',
      'report_messages',
      'report_additions',
      'consent_entries',
      'audit_entries',
    ] as const) {
      raw += JSON.stringify(await t.services.db.selectFrom(table).selectAll().execute());
    }
    const target = t.services.database.dialect === 'sqlite' ? fs.readdirSync(t.services.config.dataDir) : [];
    for (const file of target) raw += fs.readFileSync(`${t.services.config.dataDir}/${file}`).toString('latin1');
    for (const marker of [...Object.values(markers), receiptCode.replace(/ /g, '')]) expect(raw).not.toContain(marker);
    // The code itself is kept only as a keyed lookup hash and an argon2id verifier.
    const stored = await t.services.db.selectFrom('reports').select(['receipt_lookup', 'receipt_verifier']).execute();
    for (const row of stored) {
      expect(row.receipt_verifier).toMatch(/^\$argon2id\$v=19\$m=19456,t=1,p=1\$/);
      expect(row.receipt_lookup).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('lets support staff tokens list, read (audited) and reply, and keeps others out', async () => {
    const { reference, receiptCode } = await send({
      account: 'STAFF-API-ACCOUNT he pushed me',
      contact: { name: 'Ruby', methods: [{ kind: 'this-site-only' }] },
    });
    const caseworker = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'caseworker', name: 'Case system' },
        { kind: 'system' },
      )
    ).token;
    const outreach = (
      await t.services.apiTokens.create({ orgSlug: 'safe-streets', role: 'outreach', name: 'Van' }, { kind: 'system' })
    ).token;
    const police = (
      await t.services.apiTokens.create({ orgSlug: 'northshire', role: 'officer', name: 'Force' }, { kind: 'system' })
    ).token;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const list = await t.app.inject({ url: '/api/v1/reports', headers: bearer(caseworker) });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { reference: string }) => i.reference)).toContain(reference);
    expect(list.body).not.toContain('STAFF-API-ACCOUNT');

    const one = await t.app.inject({ url: `/api/v1/reports/${reference}`, headers: bearer(caseworker) });
    expect(one.json()).toMatchObject({
      reference,
      account: 'STAFF-API-ACCOUNT he pushed me',
      consents: { support: false },
    });
    expect(one.json()).not.toHaveProperty('id');
    const audited = await t.services.db
      .selectFrom('audit_entries')
      .select(['actor_kind'])
      .where('action', '=', 'report.viewed')
      .execute();
    expect(audited.map((a) => a.actor_kind)).toContain('api-token');

    const reply = await post(
      `/api/v1/reports/${reference}/messages`,
      { body: 'We got your report.' },
      bearer(caseworker),
    );
    expect(reply.statusCode).toBe(201);
    const self = await t.app.inject({ url: '/api/v1/reports/self', headers: asReceipt(receiptCode) });
    expect(self.json().messages.at(-1)).toMatchObject({ from: 'support', body: 'We got your report.' });

    for (const token of [outreach, police]) {
      // 404, not 403: whether a report exists is not revealed to them.
      expect((await t.app.inject({ url: '/api/v1/reports', headers: bearer(token) })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/v1/reports/${reference}`, headers: bearer(token) })).statusCode).toBe(
        404,
      );
    }
    expect((await t.app.inject({ url: '/api/v1/reports/R-2222-2222', headers: bearer(caseworker) })).statusCode).toBe(
      404,
    );
  });

  it('records an assisted report from a support staff token with its source', async () => {
    const outreach = (
      await t.services.apiTokens.create(
        { orgSlug: 'safe-streets', role: 'outreach', name: 'Van tablet' },
        { kind: 'system' },
      )
    ).token;
    const res = await post(
      '/api/v1/reports',
      { account: 'Met on outreach', source: 'outreach' },
      { authorization: `Bearer ${outreach}` },
    );
    expect(res.statusCode).toBe(201);
    const row = await t.services.db
      .selectFrom('reports')
      .select(['source'])
      .where('reference', '=', res.json().reference)
      .executeTakeFirstOrThrow();
    expect(row.source).toBe('outreach');
    const police = (
      await t.services.apiTokens.create({ orgSlug: 'northshire', role: 'officer', name: 'Force 2' }, { kind: 'system' })
    ).token;
    expect((await post('/api/v1/reports', { account: 'x' }, { authorization: `Bearer ${police}` })).statusCode).toBe(
      403,
    );
  });
});
