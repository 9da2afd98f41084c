import type { Kysely } from 'kysely';
import type { DB, UsersTable } from '../../platform/db/schema.ts';
import { slowHash, slowVerify } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { normaliseRecoveryCode, type StaffAccounts } from '../staff/index.ts';
import { addressBucket } from '../throttling/index.ts';
import type { DeviceCookies } from './deviceCookies.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, type Throttle, type ThrottlePolicy } from '../throttling/index.ts';

/**
 * Clients without a device cookie for the account, from everywhere together: a slow, spread-out
 * guess at one password. Locks only those clients; browsers the person signed in on keep working.
 */
export const UNTRUSTED_ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** A browser with a valid device cookie that keeps failing is treated as untrusted for a while (a stolen cookie). */
export const DEVICE_POLICY: ThrottlePolicy = { maxFailures: 10, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export type PasswordOutcome = { ok: true; userId: string; next: 'mfa' | 'enrol' } | { ok: false };

/** Where an attempt comes from: the network address and the browser's device cookie, if any. */
export interface SignInClient {
  address: string;
  deviceCookie?: string | undefined;
}

/** Failed attempts on an account since its holder last acknowledged them. */
export interface FailedSignIns {
  count: number;
  firstAt: string;
  lastAt: string;
}

export interface SignInLock {
  userId: string;
  email: string;
  /** Addresses or devices this account is locked at. */
  places: number;
  /** Whether browsers the person has not signed in on before are shut out. */
  newBrowsers: boolean;
  until: string;
}

/** The throttle keys one attempt is judged by. */
interface AttemptKeys {
  address: string;
  accountKey?: string;
  accountAddress?: string;
  /** Set when the browser carries a valid, unlocked device cookie for the account. */
  device?: string;
}

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
    private readonly devices: DeviceCookies,
    private readonly now: () => Date,
  ) {}

  /**
   * Who is locked is decided per attempt: a browser with a valid device cookie for the account is
   * judged only by that device's own counter; any other client by the address, the account at
   * that address, and the account from untrusted clients overall. So wrong passwords typed
   * elsewhere never lock the person out of a browser they have signed in on.
   */
  private async keysFor(user: UsersTable | undefined, client: SignInClient): Promise<AttemptKeys> {
    const bucket = addressBucket(client.address);
    const keys: AttemptKeys = { address: this.throttle.keyFor('address', bucket) };
    if (!user) return keys;
    keys.accountKey = this.throttle.keyFor('account', user.id);
    keys.accountAddress = this.throttle.keyFor('account-address', `${user.id}:${bucket}`);
    const nonce = this.devices.trusted(client.deviceCookie, user.id);
    if (nonce) {
      const device = this.throttle.keyFor('device', `${user.id}:${nonce}`);
      if (!(await this.throttle.isLocked(device))) keys.device = device;
    }
    return keys;
  }

  private async blocked(keys: AttemptKeys): Promise<boolean> {
    if (keys.device) return false;
    for (const key of [keys.address, keys.accountAddress, keys.accountKey]) {
      if (key && (await this.throttle.isLocked(key))) return true;
    }
    return false;
  }

  async checkPassword(email: string, password: string, client: SignInClient): Promise<PasswordOutcome> {
    const user = await this.accounts.findByEmail(email);
    // Verify against a dummy hash when there is no such user, so timing does not reveal which accounts exist.
    const passwordOk = await slowVerify(user?.password_hash ?? (await this.dummy()), password);
    const keys = await this.keysFor(user, client);
    const blocked = await this.blocked(keys);
    if (!user || !passwordOk || blocked || user.disabled_at) {
      await this.recordFailure(user, keys, 'password');
      return { ok: false };
    }
    return { ok: true, userId: user.id, next: user.totp_enrolled_at ? 'mfa' : 'enrol' };
  }

  /**
   * Second step: a TOTP code or an unused recovery code (which is then used up). On success the
   * answer carries the device cookie to set, and the failed attempts to tell the person about.
   */
  async checkCode(
    userId: string,
    code: string,
    client: SignInClient,
  ): Promise<{
    ok: boolean;
    method?: 'totp' | 'recovery-code';
    deviceCookie?: string;
    failedSignIns?: FailedSignIns | undefined;
  }> {
    const user = await this.accounts.find(userId);
    const keys = await this.keysFor(user, client);
    const blocked = await this.blocked(keys);
    let method: 'totp' | 'recovery-code' | undefined;
    if (user && !blocked && !user.disabled_at) {
      if (/^\d{3}\s?\d{3}$/.test(code.trim()))
        method = (await this.accounts.verifyCurrentTotp(user, code)) ? 'totp' : undefined;
      else method = (await this.useRecoveryCode(user.id, code)) ? 'recovery-code' : undefined;
    }
    if (!user || !method) {
      await this.recordFailure(user, keys, 'code');
      return { ok: false };
    }
    // Success clears this address's and this device's counters, not the account's elsewhere.
    for (const key of [keys.accountAddress, keys.device]) if (key) await this.throttle.clear(key);
    await this.accounts.recordSignIn(user.id);
    await this.audit.record({
      actorKind: 'user',
      actorId: user.id,
      orgId: user.org_id,
      action: 'auth.sign-in',
      targetKind: 'user',
      targetId: user.id,
      detail: { method },
    });
    return {
      ok: true,
      method,
      deviceCookie: this.devices.remember(client.deviceCookie, user.id),
      failedSignIns: await this.failedSignIns(user.id),
    };
  }

  /** Failed attempts since the person last acknowledged them, or undefined when there were none. */
  async failedSignIns(userId: string): Promise<FailedSignIns | undefined> {
    const user = await this.accounts.find(userId);
    if (!user || !user.failed_sign_ins || !user.failed_sign_in_first_at || !user.failed_sign_in_last_at)
      return undefined;
    return { count: user.failed_sign_ins, firstAt: user.failed_sign_in_first_at, lastAt: user.failed_sign_in_last_at };
  }

  /** The person has seen the notice: counting starts again. */
  async acknowledgeFailedSignIns(userId: string): Promise<void> {
    await this.accounts.resetFailedSignIns(userId);
  }

  /**
   * Sign-in locks on these people's accounts now in force: how many of their counters are locked
   * (at one address, or one device) and whether new browsers are shut out, and until when.
   */
  async locksOf(people: { id: string; email: string }[]): Promise<SignInLock[]> {
    const byKey = new Map(people.map((p) => [this.throttle.keyFor('account', p.id), p]));
    const rows = await this.throttle.lockedForAccounts([...byKey.keys()]);
    const locks = new Map<string, SignInLock>();
    for (const row of rows) {
      const person = byKey.get(row.account_key!);
      if (!person) continue;
      const lock = locks.get(person.id) ?? {
        userId: person.id,
        email: person.email,
        places: 0,
        newBrowsers: false,
        until: row.locked_until!,
      };
      if (row.key_hash === row.account_key) lock.newBrowsers = true;
      else lock.places += 1;
      if (row.locked_until! > lock.until) lock.until = row.locked_until!;
      locks.set(person.id, lock);
    }
    return [...locks.values()].sort((a, b) => a.email.localeCompare(b.email));
  }

  /** An administrator lifts every sign-in lock on one of their organisation's accounts (audited). */
  async clearLocks(admin: { userId: string; orgId: string }, userId: string): Promise<boolean> {
    const user = await this.accounts.find(userId);
    if (!user || user.org_id !== admin.orgId) return false;
    const cleared = await this.throttle.clearAccount(this.throttle.keyFor('account', userId));
    await this.audit.record({
      actorKind: 'user',
      actorId: admin.userId,
      orgId: admin.orgId,
      action: 'auth.locks-cleared',
      targetKind: 'user',
      targetId: userId,
      detail: { counters: cleared },
    });
    return true;
  }

  /** Re-entering a current code before a sensitive action. */
  async confirmStepUp(userId: string, code: string, client: SignInClient): Promise<boolean> {
    const user = await this.accounts.find(userId);
    const keys = await this.keysFor(user, client);
    if (!user || (await this.blocked(keys)) || !(await this.accounts.verifyCurrentTotp(user, code))) {
      await this.recordFailure(user, keys, 'step-up');
      return false;
    }
    await this.audit.record({
      actorKind: 'user',
      actorId: user.id,
      orgId: user.org_id,
      action: 'auth.step-up',
      targetKind: 'user',
      targetId: user.id,
    });
    return true;
  }

  async signedOut(userId: string, orgId: string): Promise<void> {
    await this.audit.record({
      actorKind: 'user',
      actorId: userId,
      orgId,
      action: 'auth.sign-out',
      targetKind: 'user',
      targetId: userId,
    });
  }

  private async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const normalised = normaliseRecoveryCode(code);
    if (normalised.length !== 19) return false;
    return this.accounts.useRecoveryCode(userId, (codeHash) => slowVerify(codeHash, normalised));
  }

  private async recordFailure(user: UsersTable | undefined, keys: AttemptKeys, stage: string): Promise<void> {
    const orgId = user?.org_id ?? null;
    const locked = async (scope: string, key: string, policy: ThrottlePolicy, accountKey: string | null) => {
      if (await this.throttle.fail(key, policy, accountKey)) {
        const target =
          scope === 'address' || !user ? { targetKind: 'network-address' } : { targetKind: 'user', targetId: user.id };
        await this.audit.record({
          actorKind: 'public',
          orgId,
          action: 'auth.locked-out',
          ...target,
          detail: { scope },
        });
      }
    };
    if (keys.device && keys.accountKey) {
      // A browser the person signed in on: only that device's counter.
      await locked('device', keys.device, DEVICE_POLICY, keys.accountKey);
    } else {
      await locked('address', keys.address, ADDRESS_POLICY, null);
      if (keys.accountAddress && keys.accountKey)
        await locked('account-at-address', keys.accountAddress, ACCOUNT_POLICY, keys.accountKey);
      if (keys.accountKey)
        await locked('account-untrusted-clients', keys.accountKey, UNTRUSTED_ACCOUNT_POLICY, keys.accountKey);
    }
    if (user) await this.accounts.recordFailedSignIn(user.id);
    await this.audit.record({
      actorKind: 'public',
      orgId,
      action: 'auth.sign-in-failed',
      targetKind: user ? 'user' : null,
      targetId: user?.id ?? null,
      detail: { stage },
    });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= slowHash('no such account: timing equaliser');
    return this.dummyHash;
  }
}
