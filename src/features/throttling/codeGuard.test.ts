import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { CODE_SPIKE_POLICY, TICKET_WAIT_MS } from './codeGuard.ts';

/**
 * Receipt codes ("Check your report") and member codes ("Sign in as a member") through the real
 * pages: guessing from everywhere must never lock their owners out.
 */
interface CodeForm {
  kind: 'receipt' | 'member';
  page: string;
  opened: string;
  /** A fresh right code. */
  newCode(t: TestApp): Promise<string>;
}

const FORMS: CodeForm[] = [
  {
    kind: 'receipt',
    page: '/check',
    opened: '/check/report',
    async newCode(t) {
      const submitted = await t.services.reports.submit(
        {
          incidentTypes: ['robbery-or-theft'],
          account: 'Took my phone',
          consents: {
            support: true,
            warnOthers: false,
            policeIntelligence: false,
            policeReport: false,
            policeContact: false,
          },
          perpetrator: { names: [], phones: [], emails: [], handles: [] },
        },
        { source: 'online', recordedBy: null, idempotencyKey: undefined },
      );
      return submitted.receiptCode!;
    },
  },
  {
    kind: 'member',
    page: '/members/sign-in',
    opened: '/members/warnings',
    async newCode(t) {
      const org = (await t.services.organisations.list()).find((o) => o.slug === 'safe-streets')!;
      return (await t.services.members.join(org.id, { name: 'Kaz' })).code;
    },
  },
];

let addressCounter = 0;
/** A documentation-range address nobody has used in this run. */
function freshAddress(): string {
  addressCounter += 1;
  return `198.18.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

/** A wrong 16-digit code (random, so it is never the right one by accident). */
function wrongCode(): string {
  return `9${crypto
    .randomInt(10 ** 9)
    .toString()
    .padStart(9, '0')}${crypto
    .randomInt(10 ** 6)
    .toString()
    .padStart(6, '0')}`;
}

/** What the browser's solver does: find n with SHA-256(salt + n) = challenge. */
function solve(page: string): { ticket: string; pow: string } {
  const ticket = /name="ticket" value="([^"]+)"/.exec(page)?.[1];
  const challenge = /data-challenge="([0-9a-f]{64})"/.exec(page)?.[1];
  const salt = /data-salt="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
  const max = Number(/data-max="(\d+)"/.exec(page)?.[1]);
  if (!ticket || !challenge || !salt) throw new Error('no proof-of-work ticket on the page');
  for (let n = 0; n <= max; n += 1) {
    if (crypto.createHash('sha256').update(`${salt}${n}`).digest('hex') === challenge)
      return { ticket, pow: String(n) };
  }
  throw new Error('unsolvable puzzle');
}

async function tryCode(
  t: TestApp,
  form: CodeForm,
  code: string,
  address = freshAddress(),
  extra: Record<string, string> = {},
) {
  const browser = new TestBrowser(t.app, address);
  await browser.get(form.page);
  const res = await browser.post(form.page, { code, ...extra });
  return { browser, res };
}

/** `count` wrong codes from `addresses` addresses, through the real form; how many were checked (400) and held back (429). */
async function spreadAttack(t: TestApp, form: CodeForm, addresses: number, perAddress: number) {
  const tally = { checked: 0, heldBack: 0 };
  for (let a = 0; a < addresses; a += 1) {
    const browser = new TestBrowser(t.app, freshAddress());
    await browser.get(form.page);
    const page = browser.lastPage;
    for (let i = 0; i < perAddress; i += 1) {
      const res = await browser.post(form.page, { code: wrongCode() }, page);
      if (res.statusCode === 400) tally.checked += 1;
      else if (res.statusCode === 429) tally.heldBack += 1;
      else throw new Error(`unexpected ${res.statusCode}`);
    }
  }
  return tally;
}

describe.each(testDatabases)('guessing codes never locks out their owners, on %s', (kind) => {
  describe.each(FORMS)('$kind codes', (form) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind);
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
    });
    afterAll(async () => t.close());

    it('challenges from exactly the spike threshold of wrong codes, and never before', async () => {
      const threshold = CODE_SPIKE_POLICY.maxFailures;
      expect(threshold).toBe(500);
      // One wrong code short of the threshold, spread over addresses that each stay under their own limit.
      let left = threshold - 1;
      while (left > 0) {
        const n = Math.min(4, left);
        const tally = await spreadAttack(t, form, 1, n);
        expect(tally.checked).toBe(n);
        left -= n;
      }
      // Not a spike yet: the right code opens at once, with no check asked for.
      const page = await new TestBrowser(t.app, freshAddress()).get(form.page);
      expect(page.body).not.toContain('data-proof-of-work');
      const before = await tryCode(t, form, await form.newCode(t));
      expect(before.res.headers.location).toBe(form.opened);
      // The next wrong code starts the spike: now a code without a ticket is not even checked.
      expect((await spreadAttack(t, form, 1, 1)).checked).toBe(1);
      const after = await tryCode(t, form, await form.newCode(t));
      expect(after.res.statusCode).toBe(429);
      expect(after.res.body).toContain('Many wrong codes are being tried on this site right now');
      expect(after.res.body).toContain('data-proof-of-work');
    }, 180_000);
  });

  describe.each(FORMS)('$kind codes under the attack of 1,000 wrong codes from 100 addresses', (form) => {
    let t: TestApp;
    let admin: Awaited<ReturnType<typeof signedInStaff>>;
    beforeAll(async () => {
      t = await startTestApp(kind);
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
      admin = await signedInStaff(t, { role: 'admin', orgSlug: 'safe-streets' });
      const tally = await spreadAttack(t, form, 100, 10);
      // Each address had its five free tries and was then held back (growing back-off).
      expect(tally).toEqual({ checked: 500, heldBack: 500 });
    }, 300_000);
    afterAll(async () => t.close());

    it('opens for the right code from a new address once the browser has done the proof of work', async () => {
      const code = await form.newCode(t);
      const browser = new TestBrowser(t.app, freshAddress());
      const page = await browser.get(form.page);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<script type="module" src="/assets/proof-of-work.js"></script>');
      const res = await browser.post(form.page, { code, ...solve(page.body) });
      expect(res.headers.location).toBe(form.opened);
      expect((await browser.follow(res)).statusCode).toBe(200);
    });

    it('opens for the right code without JavaScript after the short wait, and not before', async () => {
      const code = await form.newCode(t);
      const browser = new TestBrowser(t.app, freshAddress());
      const page = await browser.get(form.page);
      expect(page.body).toContain(`wait ${TICKET_WAIT_MS / 1000} seconds after this page opened`);
      const ticket = /name="ticket" value="([^"]+)"/.exec(page.body)![1]!;
      const early = await browser.post(form.page, { code, ticket });
      expect(early.statusCode).toBe(429);
      expect(early.body).toMatch(/Wait \d+ seconds more, then enter your code/);
      t.clock.advance(TICKET_WAIT_MS);
      const res = await browser.post(form.page, { code, ticket });
      expect(res.headers.location).toBe(form.opened);
    });

    it('spends a ticket once, and only from the address it was given to', async () => {
      const code = await form.newCode(t);
      const owner = new TestBrowser(t.app, freshAddress());
      const answer = solve((await owner.get(form.page)).body);
      const elsewhere = new TestBrowser(t.app, freshAddress());
      await elsewhere.get(form.page);
      expect((await elsewhere.post(form.page, { code, ...answer })).statusCode).toBe(429);
      expect((await owner.post(form.page, { code, ...answer })).headers.location).toBe(form.opened);
      // Replaying the spent ticket and its answer is refused (and a new ticket offered).
      await owner.get(form.page);
      const replay = await owner.post(form.page, { code, ...answer });
      expect(replay.statusCode).toBe(429);
      expect(solve(replay.body).ticket).not.toBe(answer.ticket);
    });

    it('still holds back the addresses that guessed, even with a solved puzzle', async () => {
      const tally = await spreadAttack(t, form, 1, 6);
      expect(tally).toEqual({ checked: 0, heldBack: 6 });
    });

    it('tells administrators once, in the audit trail and on their home page', async () => {
      const entries = await t.services.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('action', '=', 'code.guessing-spike')
        .execute();
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]!.detail)).toMatchObject({ codes: form.kind, wrongCodes: 500, withinMinutes: 15 });
      const home = await admin.browser.get('/staff');
      expect(home.body).toContain(
        `Many wrong ${form.kind} codes are being tried from many places: at least 500 within 15 minutes`,
      );
      const caseworker = await signedInStaff(t, { role: 'caseworker', orgSlug: 'safe-streets' });
      expect((await caseworker.browser.get('/staff')).body).not.toContain('are being tried from many places');
    });

    it('ends by itself when the guessing stops', async () => {
      t.clock.advance(CODE_SPIKE_POLICY.lockMs + 1000);
      const { res } = await tryCode(t, form, await form.newCode(t));
      expect(res.headers.location).toBe(form.opened);
      expect((await admin.browser.get('/staff')).body).not.toContain('are being tried from many places');
    });
  });

  describe('the API under a spike', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind);
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
      for (const form of FORMS) await spreadAttack(t, form, 100, 5);
    }, 300_000);
    afterAll(async () => t.close());

    it('answers 429 with a clear code rather than a puzzle, for receipt and member codes', async () => {
      const receipt = await FORMS[0]!.newCode(t);
      const res = await t.app.inject({
        url: '/api/v1/reports/self',
        headers: { authorization: `Receipt ${receipt}` },
        remoteAddress: freshAddress(),
      });
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('code_guessing_spike');
      expect(res.json().error.message).toContain('The code can still be used on the website');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      const member = await FORMS[1]!.newCode(t);
      const memberRes = await t.app.inject({
        url: '/api/v1/warnings',
        headers: { authorization: `Member ${member}` },
        remoteAddress: freshAddress(),
      });
      expect(memberRes.statusCode).toBe(429);
      expect(memberRes.json().error.code).toBe('code_guessing_spike');
      // The same codes still open on the website.
      expect((await tryCode(t, FORMS[0]!, receipt, freshAddress())).res.statusCode).toBe(429);
      const browser = new TestBrowser(t.app, freshAddress());
      const page = await browser.get('/check');
      expect((await browser.post('/check', { code: receipt, ...solve(page.body) })).headers.location).toBe(
        '/check/report',
      );
    });
  });

  describe('one address guessing', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind);
      await t.services.organisations.create(
        { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
        { kind: 'system' },
      );
    });
    afterAll(async () => t.close());

    it.each(['receipt', 'member'] as const)(
      'checks only a handful of 10,000 %s codes from one address over a day, with a growing wait',
      async (codeKind) => {
        const attacker = '2001:db8:aa:bb::1';
        const attempt = (code: string, address: string) =>
          codeKind === 'receipt'
            ? t.services.reports.attemptCode(code, address, {}, { offerTickets: true })
            : t.services.members.signInWithCode(code, address, {}, { offerTickets: true });
        const waits: number[] = [];
        let checked = 0;
        for (let i = 0; i < 10_000; i += 1) {
          // Another address in the same IPv6 /64 each time: still one address.
          const result = await attempt(wrongCode(), `2001:db8:aa:bb:${(i % 65_000).toString(16)}::${(i % 7) + 1}`);
          expect(result.ok).toBe(false);
          if (!result.ok && result.reason === 'wrong-code') {
            checked += 1;
            waits.push(result.retryAfterSeconds);
          }
          t.clock.advance(9_000); // 10,000 tries spread over about a day
        }
        expect(checked).toBeLessThanOrEqual(30);
        expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
        expect(waits.slice(4, 8)).toEqual([60, 120, 240, 480]);
        // The right code is held back from that address for now, and opens from another.
        const code = await FORMS.find((f) => f.kind === codeKind)!.newCode(t);
        const refused = await attempt(code, attacker);
        expect(!refused.ok && refused.reason).toBe('address-back-off');
        expect((await attempt(code, '2001:db8:aa:cc::1')).ok).toBe(true);
      },
      300_000,
    );

    it('checks parallel guesses from one address one at a time, so a burst cannot slip past the count', async () => {
      const address = freshAddress();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.services.reports.attemptCode(wrongCode(), address, {}, { offerTickets: true }),
        ),
      );
      const checked = results.filter((r) => !r.ok && r.reason === 'wrong-code').length;
      expect(checked).toBeGreaterThanOrEqual(1);
      expect(checked).toBeLessThanOrEqual(5);
      expect(results.filter((r) => !r.ok && r.reason === 'address-back-off').length).toBe(50 - checked);
    });
  });
});

describe.each(testDatabases)('behind one trusted proxy (TRUST_PROXY=1) on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { TRUST_PROXY: '1' });
  });
  afterAll(async () => t.close());

  /** A request through the load balancer at 10.0.0.2, which appends the address it saw. */
  const viaProxy = (client: string, spoofed: string) =>
    new TestBrowser(t.app, '10.0.0.2', { 'x-forwarded-for': `${spoofed}, ${client}` });

  it('counts the address the proxy saw: a new left-most X-Forwarded-For entry each time does not reset the count', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const browser = viaProxy('203.0.113.50', `192.0.2.${i + 1}`);
      await browser.get('/check');
      statuses.push((await browser.post('/check', { code: wrongCode() })).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    // Another client behind the same proxy is not held back.
    const other = viaProxy('203.0.113.51', '192.0.2.1');
    await other.get('/check');
    expect((await other.post('/check', { code: wrongCode() })).statusCode).toBe(400);
  });
});
