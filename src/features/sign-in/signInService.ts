import type { Kysely } from 'kysely';
import type { DB, UsersTable } from '../../platform/db/schema.ts';
import { slowHash, slowVerify } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/auditTrail.ts';
import { normaliseRecoveryCode, type StaffAccounts } from '../staff/staffAccounts.ts';
import { staffRepository } from '../staff/staffRepository.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, type Throttle } from './throttle.ts';

export type PasswordOutcome = { ok: true; userId: string; next: 'mfa' | 'enrol' } | { ok: false };

/**
 * The two steps of staff sign-in. Every failure looks the same from outside
 * (no hint whether the account exists, the password or the code was wrong, or
 * the account is locked), is counted per account and per network address, and
 * is audited.
 */
export class SignInService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: StaffAccounts,
    private readonly throttle: Throttle,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  async checkPassword(email: string, password: string, address: string): Promise<PasswordOutcome> {
    const addressKey = this.throttle.keyFor('address', address);
    const user = await this.accounts.findByEmail(email);
    // Verify against a dummy hash when there is no such user, so timing does not reveal which accounts exist.
    const passwordOk = await slowVerify(user?.password_hash ?? (await this.dummy()), password);
    const blocked = (await this.throttle.isLocked(addressKey)) || (user !== undefined && (await this.throttle.isLocked(this.throttle.keyFor('account', user.id))));
    if (!user || !passwordOk || blocked || user.disabled_at) {
      await this.recordFailure(user, addressKey, 'password');
      return { ok: false };
    }
    return { ok: true, userId: user.id, next: user.totp_enrolled_at ? 'mfa' : 'enrol' };
  }

  /** Second step: a TOTP code or an unused recovery code (which is then used up). */
  async checkCode(userId: string, code: string, address: string): Promise<{ ok: boolean; method?: 'totp' | 'recovery-code' }> {
    const addressKey = this.throttle.keyFor('address', address);
    const accountKey = this.throttle.keyFor('account', userId);
    const user = await this.accounts.find(userId);
    const blocked = (await this.throttle.isLocked(addressKey)) || (await this.throttle.isLocked(accountKey));
    let method: 'totp' | 'recovery-code' | undefined;
    if (user && !blocked && !user.disabled_at) {
      if (/^\d{3}\s?\d{3}$/.test(code.trim())) method = (await this.accounts.verifyCurrentTotp(user, code)) ? 'totp' : undefined;
      else method = (await this.useRecoveryCode(user.id, code)) ? 'recovery-code' : undefined;
    }
    if (!user || !method) {
      await this.recordFailure(user, addressKey, 'code');
      return { ok: false };
    }
    await this.throttle.clear(accountKey);
    await staffRepository.updateUser(this.db, user.id, { last_sign_in_at: this.now().toISOString() });
    await this.audit.record({ actorKind: 'user', actorId: user.id, orgId: user.org_id, action: 'auth.sign-in', targetKind: 'user', targetId: user.id, detail: { method } });
    return { ok: true, method };
  }

  /** Re-entering a current code before a sensitive action. */
  async confirmStepUp(userId: string, code: string, address: string): Promise<boolean> {
    const user = await this.accounts.find(userId);
    const accountKey = this.throttle.keyFor('account', userId);
    if (!user || (await this.throttle.isLocked(accountKey)) || !(await this.accounts.verifyCurrentTotp(user, code))) {
      await this.recordFailure(user, this.throttle.keyFor('address', address), 'step-up');
      return false;
    }
    await this.audit.record({ actorKind: 'user', actorId: user.id, orgId: user.org_id, action: 'auth.step-up', targetKind: 'user', targetId: user.id });
    return true;
  }

  async signedOut(userId: string, orgId: string): Promise<void> {
    await this.audit.record({ actorKind: 'user', actorId: userId, orgId, action: 'auth.sign-out', targetKind: 'user', targetId: userId });
  }

  private async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const normalised = normaliseRecoveryCode(code);
    if (normalised.length !== 19) return false;
    for (const row of await staffRepository.unusedRecoveryCodes(this.db, userId)) {
      if (await slowVerify(row.code_hash, normalised)) return staffRepository.useRecoveryCode(this.db, row.id, this.now().toISOString());
    }
    return false;
  }

  private async recordFailure(user: UsersTable | undefined, addressKey: string, stage: string): Promise<void> {
    const orgId = user?.org_id ?? null;
    if (await this.throttle.fail(addressKey, ADDRESS_POLICY)) {
      await this.audit.record({ actorKind: 'public', orgId, action: 'auth.locked-out', targetKind: 'network-address', detail: { scope: 'address' } });
    }
    if (user && (await this.throttle.fail(this.throttle.keyFor('account', user.id), ACCOUNT_POLICY))) {
      await this.audit.record({ actorKind: 'public', orgId, action: 'auth.locked-out', targetKind: 'user', targetId: user.id, detail: { scope: 'account' } });
    }
    await this.audit.record({ actorKind: 'public', orgId, action: 'auth.sign-in-failed', targetKind: user ? 'user' : null, targetId: user?.id ?? null, detail: { stage } });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= slowHash('no such account: timing equaliser');
    return this.dummyHash;
  }
}
