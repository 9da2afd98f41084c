import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { TestBrowser } from '../../../test/support/httpClient.ts';
import { signedInStaff } from '../../../test/support/staff.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import {
  fullFitting,
  nonIdentifier,
  partialOf,
  typedPhone,
  typedRegistration,
} from '../../../test/support/typedIdentifiers.ts';
import { publishWarning } from '../../../test/support/publishWarning.ts';

const PHONES = ['+447700900123', '+442079460123', '+33612345678'];
const PLATES = ['KX12ABC', 'A123BCD', 'ABC123D'];
const PARTIAL_PLATES = ['LM??XY?', '?B51?ZZ'];
/** The all-clear, as the member page and the staff page word it. */
const ALL_CLEAR = /not in any (active )?warning/i;
const RUNS = 40;

/**
 * Both checks, the member's and the staff one, over HTTP: every phone number
 * and registration in an active warning is found however it is typed, and
 * anything that is neither never gets the all-clear.
 */
describe.each(testDatabases)('the member and staff checks on %s', (kind) => {
  let t: TestApp;
  let member: TestBrowser;
  let staff: TestBrowser;
  let checks = 0;
  let address = 0;

  /** Each request from its own address, so the per-address limits measure people, not this test. */
  const nextAddress = () => {
    address += 1;
    return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
  };

  async function check(browser: TestBrowser, url: string, value: string) {
    if (browser === member && ++checks % 50 === 0) t.clock.advance(11 * 60_000); // the per-member limit is 60 in ten minutes
    browser.remoteAddress = nextAddress();
    return browser.post(url, { value });
  }
  const both = async (value: string) => [
    await check(member, '/members/check', value),
    await check(staff, '/staff/warnings/check', value),
  ];

  beforeAll(async () => {
    t = await startTestApp(kind);
    await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await publishWarning(t, 'safe-streets', {
      title: 'Numbers warning',
      body: 'Rings from these numbers.',
      phones: ['07700 900123', '020 7946 0123', '+33 6 12 34 56 78'],
    });
    await publishWarning(t, 'safe-streets', {
      title: 'Plates warning',
      body: 'Drives these cars.',
      registrations: ['KX12 ABC', 'A123 BCD', 'ABC 123D'],
    });
    await publishWarning(t, 'safe-streets', {
      title: 'Partial plates warning',
      body: 'Only part of the plate was seen.',
      registrations: ['LM?? XY?', '?B51 ?ZZ'],
    });
    const browser = new TestBrowser(t.app);
    await browser.get('/o/safe-streets/members/join');
    const joined = await browser.post('/o/safe-streets/members/join', { name: 'Kaz' });
    const code = /id="member-code"[^>]*>([\d ]{19})</.exec(joined.body)![1]!;
    member = new TestBrowser(t.app);
    await member.get('/members/sign-in');
    await member.post('/members/sign-in', { code });
    await member.get('/members/check');
    staff = (await signedInStaff(t, { role: 'outreach', orgSlug: 'safe-streets' })).browser;
    await staff.get('/staff/warnings/check');
  }, 120_000);
  afterAll(async () => t.close());

  const finds = async (typed: string, title: string) => {
    for (const res of await both(typed)) {
      expect(res.statusCode, typed).toBe(200);
      expect(res.body, typed).toContain(title);
    }
  };

  it('finds every phone number in a warning, typed with spaces, dashes, +44, 0044 or 44', async () => {
    const typed = fc.constantFrom(...PHONES).chain(typedPhone);
    await fc.assert(
      fc.asyncProperty(typed, (value) => finds(value, 'Numbers warning')),
      { numRuns: RUNS },
    );
  });

  it('finds every whole plate in a warning, typed in any case and spacing, whole or partial', async () => {
    const typed = fc
      .constantFrom(...PLATES)
      .chain((plate) => fc.oneof(typedRegistration(plate), partialOf(plate).chain(typedRegistration)));
    await fc.assert(
      fc.asyncProperty(typed, (value) => finds(value, 'Plates warning')),
      { numRuns: RUNS },
    );
  });

  it('finds every partial plate in a warning from any whole or partial plate that fits it', async () => {
    const typed = fc
      .constantFrom(...PARTIAL_PLATES)
      .chain((pattern) =>
        fc.oneof(
          typedRegistration(pattern),
          fullFitting(pattern).chain(typedRegistration),
          fullFitting(pattern).chain(partialOf).chain(typedRegistration),
        ),
      );
    await fc.assert(
      fc.asyncProperty(typed, (value) => finds(value, 'Partial plates warning')),
      { numRuns: RUNS },
    );
  });

  it('never gives the all-clear for something that is neither a phone number nor a registration', async () => {
    await fc.assert(
      fc.asyncProperty(nonIdentifier, async (value) => {
        for (const res of await both(value)) {
          expect(res.statusCode, value).toBe(400);
          expect(res.body, value).not.toMatch(ALL_CLEAR);
          expect(res.body, value).not.toContain('We checked');
          if (value.trim() && value.trim().length <= 40)
            expect(res.body, value).toContain('We could not read that as a phone number or a registration');
        }
      }),
      { numRuns: RUNS },
    );
  });
});
