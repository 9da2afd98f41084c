import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { OrgKind, Role } from '../../src/platform/http/principal.ts';
import { totpCode } from '../../src/features/staff/twoFactor.ts';
import { TestBrowser } from './httpClient.ts';
import type { TestApp } from './testApp.ts';

export interface SignedInStaff {
  browser: TestBrowser;
  userId: string;
  orgId: string;
  email: string;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
}

/** The code the person's authenticator app shows now, by the test clock. */
export function totpNow(t: TestApp, secret: string): Promise<string> {
  return totpCode(secret, t.clock.now());
}

/** A TOTP step may be used once: move the clock to the next 30-second step before using another code. */
export function nextTotpStep(t: TestApp): void {
  t.clock.advance(30_000);
}

/** An enrolled member of staff (organisation created or reused by slug), made through the real services. */
export async function createStaff(t: TestApp, opts: { role: Role; orgKind?: OrgKind; orgSlug?: string }) {
  const kind = opts.orgKind ?? 'support';
  const slug = opts.orgSlug ?? `${kind}-org`;
  const organisation =
    (await t.services.organisations.list()).find((o) => o.slug === slug) ??
    (await t.services.organisations.create({ kind, name: `${slug} name`, slug }, { kind: 'system' }));
  const email = `${opts.role}-${crypto.randomBytes(4).toString('hex')}@example.org`;
  const password = `correct horse ${crypto.randomBytes(6).toString('hex')}`;
  const userId = await t.services.db.transaction().execute((trx) =>
    t.services.accounts.createUser(trx, { orgId: organisation.id, role: opts.role, email, password }),
  );
  const totpSecret = await t.services.accounts.pendingTotpSecret(userId);
  const recoveryCodes = await t.services.accounts.confirmTotp(userId, await totpNow(t, totpSecret));
  if (!recoveryCodes) throw new Error('enrolment failed');
  nextTotpStep(t);
  return { userId, orgId: organisation.id, email, password, totpSecret, recoveryCodes };
}

/** Signs in through the real pages: email and password, then a real TOTP code. */
export async function signIn(t: TestApp, browser: TestBrowser, who: { email: string; password: string; totpSecret: string }): Promise<void> {
  await browser.get('/sign-in');
  const afterPassword = await browser.post('/sign-in', { email: who.email, password: who.password });
  expect(afterPassword.headers.location).toBe('/sign-in/code');
  await browser.get('/sign-in/code');
  const afterCode = await browser.post('/sign-in/code', { code: await totpNow(t, who.totpSecret) });
  expect(afterCode.headers.location).toBe('/staff');
  nextTotpStep(t);
}

export async function signedInStaff(t: TestApp, opts: { role: Role; orgKind?: OrgKind; orgSlug?: string }): Promise<SignedInStaff> {
  const staff = await createStaff(t, opts);
  const browser = new TestBrowser(t.app);
  await signIn(t, browser, staff);
  return { browser, ...staff };
}
