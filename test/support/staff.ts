import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { OrgKind, Role } from '../../src/platform/http/principal.ts';
import { totpCode } from '../../src/features/staff/twoFactor.ts';
import { TestBrowser } from './httpClient.ts';
import type { TestApp, TestClock } from './testApp.ts';

export interface SignedInStaff {
  browser: TestBrowser;
  userId: string;
  orgId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

const STEP_MS = 30_000;

/**
 * Which test clock each enrolled secret lives by, and the last 30-second step
 * handed out for it. The server refuses a step it has already accepted (replay
 * protection), so a code asked for without a time waits for the next step, as a
 * person would wait for their app to show a new code.
 */
const secrets = new Map<string, { clock: TestClock; lastStep: number | undefined }>();

function remember(t: TestApp, secret: string, usedAt?: Date): void {
  secrets.set(secret, { clock: t.clock, lastStep: usedAt ? stepOf(usedAt) : undefined });
}

function stepOf(at: Date): number {
  return Math.floor(at.getTime() / STEP_MS);
}

/**
 * The code the person's authenticator app shows.
 * - `totpNow(secret, at)`: the code at `at` exactly (pass `t.clock.now()`).
 * - `totpNow(secret)`: for staff made by these helpers, a fresh code by that
 *   test's clock (moving it to the next step if this one was already used);
 *   otherwise the code by the real clock.
 * - `totpNow(t, secret)`: the code now by `t`'s clock.
 */
export async function totpNow(secret: string, at?: Date): Promise<string>;
export async function totpNow(t: TestApp, secret: string): Promise<string>;
export async function totpNow(first: string | TestApp, second?: string | Date): Promise<string> {
  if (typeof first !== 'string') return totpCode(String(second), first.clock.now());
  if (second instanceof Date) return totpCode(first, second);
  const known = secrets.get(first);
  if (!known) return totpCode(first, new Date());
  if (known.lastStep !== undefined && stepOf(known.clock.now()) <= known.lastStep) {
    known.clock.advance((known.lastStep + 1) * STEP_MS - known.clock.now().getTime());
  }
  const at = known.clock.now();
  known.lastStep = stepOf(at);
  return totpCode(first, at);
}

/** A TOTP step may be used once: move the clock to the next 30-second step before using another code. */
export function nextTotpStep(t: TestApp): void {
  t.clock.advance(STEP_MS);
}

/** An enrolled member of staff (organisation created or reused by slug), made through the real services. */
export async function createStaff(t: TestApp, opts: { role: Role; orgKind?: OrgKind; orgSlug?: string }) {
  const kind = opts.orgKind ?? 'support';
  const slug = opts.orgSlug ?? `${kind}-org`;
  const organisation =
    (await t.services.organisations.list()).find((o) => o.slug === slug) ??
    (await t.services.organisations.create({ kind, name: `${slug} name`, slug }, { kind: 'system' }));
  if (organisation.kind !== kind && opts.orgKind)
    throw new Error(`Organisation ${slug} is ${organisation.kind}, not ${kind}`);
  const email = `${opts.role}-${crypto.randomBytes(4).toString('hex')}@example.org`;
  const password = `correct horse ${crypto.randomBytes(6).toString('hex')}`;
  const userId = await t.services.db
    .transaction()
    .execute((trx) =>
      t.services.accounts.createUser(trx, { orgId: organisation.id, role: opts.role, email, password }),
    );
  const totpSecret = await t.services.accounts.pendingTotpSecret(userId);
  const enrolledAt = t.clock.now();
  const recoveryCodes = await t.services.accounts.confirmTotp(userId, await totpCode(totpSecret, enrolledAt));
  if (!recoveryCodes) throw new Error('enrolment failed');
  remember(t, totpSecret, enrolledAt);
  nextTotpStep(t);
  return { userId, orgId: organisation.id, email, password, totpSecret, recoveryCodes };
}

/** Signs in through the real pages: email and password, then a real TOTP code. */
export async function signIn(
  t: TestApp,
  browser: TestBrowser,
  who: { email: string; password: string; totpSecret: string },
): Promise<void> {
  await browser.get('/sign-in');
  const afterPassword = await browser.post('/sign-in', { email: who.email, password: who.password });
  expect(afterPassword.headers.location).toBe('/sign-in/code');
  await browser.get('/sign-in/code');
  const signedInAt = t.clock.now();
  const afterCode = await browser.post('/sign-in/code', { code: await totpCode(who.totpSecret, signedInAt) });
  expect(afterCode.headers.location).toBe('/staff');
  remember(t, who.totpSecret, signedInAt);
  nextTotpStep(t);
}

/** An enrolled member of staff signed in through the real sign-in pages with a real TOTP code. */
export async function signedInStaff(
  t: TestApp,
  opts: { role: Role; orgKind?: OrgKind; orgSlug?: string },
): Promise<SignedInStaff> {
  const staff = await createStaff(t, opts);
  const browser = new TestBrowser(t.app);
  await signIn(t, browser, staff);
  return { browser, ...staff };
}
