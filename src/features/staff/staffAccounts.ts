import { normaliseEmail } from '../../platform/validation/email.ts';
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, UsersTable } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId, slowHash } from '../../platform/crypto/index.ts';
import type { Role } from '../../platform/http/principal.ts';
import { staffRepository } from './staffRepository.ts';
import { newTotpSecret, verifyTotp } from './twoFactor.ts';

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export { normaliseEmail };

/** A recovery code like "k7m2-p9q4-xz8h": 16 characters from an unambiguous alphabet (~78 bits). */
function newRecoveryCode(): string {
  const chars = Array.from(crypto.randomBytes(16), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/(.{4})(?=.)/g, '$1-');
}

/** Staff users: creation, two-factor enrolment, recovery codes. Used by setup, invitations and sign-in. */
export class StaffAccounts {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly now: () => Date,
  ) {}

  emailIndex(email: string): string {
    return this.cipher.blindIndex(normaliseEmail(email), 'users.email');
  }

  findByEmail(email: string): Promise<UsersTable | undefined> {
    return staffRepository.findUserByEmailHmac(this.db, this.emailIndex(email));
  }

  find(userId: string): Promise<UsersTable | undefined> {
    return staffRepository.findUser(this.db, userId);
  }

  /** Whether anyone can administer the service yet (first-run setup is offered until someone can). */
  async hasActiveAdmin(): Promise<boolean> {
    const { n } = await staffRepository.countActiveAdmins(this.db);
    return Number(n) > 0;
  }

  async recordSignIn(userId: string): Promise<void> {
    await staffRepository.updateUser(this.db, userId, { last_sign_in_at: this.now().toISOString() });
  }

  async resetFailedSignIns(userId: string): Promise<void> {
    await staffRepository.resetFailedSignIns(this.db, userId);
  }

  async recordFailedSignIn(userId: string): Promise<void> {
    await staffRepository.recordFailedSignIn(this.db, userId, this.now().toISOString());
  }

  /** Spends one of the person's recovery codes if `matches` accepts its hash; true when one was used. */
  async useRecoveryCode(userId: string, matches: (codeHash: string) => Promise<boolean>): Promise<boolean> {
    for (const row of await staffRepository.unusedRecoveryCodes(this.db, userId)) {
      if (await matches(row.code_hash))
        return staffRepository.useRecoveryCode(this.db, row.id, this.now().toISOString());
    }
    return false;
  }

  async email(user: Pick<UsersTable, 'email_enc'>): Promise<string> {
    return this.cipher.decrypt(user.email_enc, 'users.email');
  }

  /** Creates a user without two-factor; they enrol at their first step after choosing a password. */
  async createUser(
    trx: Transaction<DB>,
    input: { orgId: string; role: Role; email: string; password: string },
  ): Promise<string> {
    const id = randomId();
    await staffRepository.insertUser(trx, {
      id,
      org_id: input.orgId,
      casework_role: null,
      role: input.role,
      email_hmac: this.emailIndex(input.email),
      email_enc: this.cipher.encrypt(normaliseEmail(input.email), 'users.email'),
      password_hash: await slowHash(input.password),
      totp_secret_enc: null,
      totp_enrolled_at: null,
      totp_last_step: null,
      disabled_at: null,
      created_at: this.now().toISOString(),
      last_sign_in_at: null,
      failed_sign_ins: 0,
      failed_sign_in_first_at: null,
      failed_sign_in_last_at: null,
    });
    return id;
  }

  /** The secret being enrolled: made once, so reloading the page shows the same QR code. */
  async pendingTotpSecret(userId: string): Promise<string> {
    const user = await staffRepository.findUser(this.db, userId);
    if (!user) throw new Error('No such user');
    // Never replace an enrolled secret here: only an administrator's reset clears it.
    if (user.totp_enrolled_at) throw new Error('Two-factor is already enrolled');
    if (user.totp_secret_enc) return this.cipher.decrypt(user.totp_secret_enc, 'users.totp_secret');
    const secret = newTotpSecret();
    await staffRepository.updateUser(this.db, userId, {
      totp_secret_enc: this.cipher.encrypt(secret, 'users.totp_secret'),
      totp_enrolled_at: null,
      totp_last_step: null,
    });
    return secret;
  }

  /** Confirms enrolment with a code from the app; returns the recovery codes to show once, or undefined. */
  async confirmTotp(userId: string, code: string): Promise<string[] | undefined> {
    const user = await staffRepository.findUser(this.db, userId);
    if (!user?.totp_secret_enc || user.totp_enrolled_at) return undefined;
    const secret = await this.cipher.decrypt(user.totp_secret_enc, 'users.totp_secret');
    const step = await verifyTotp(secret, code.replace(/\s/g, ''), this.now(), null);
    if (step === undefined) return undefined;
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const hashed = await Promise.all(codes.map(async (c) => ({ id: randomId(), code_hash: await slowHash(c) })));
    await staffRepository.replaceRecoveryCodes(this.db, userId, hashed);
    await staffRepository.updateUser(this.db, userId, {
      totp_enrolled_at: this.now().toISOString(),
      totp_last_step: step,
    });
    return codes;
  }

  /** Verifies a current TOTP code for an enrolled user and records its step against replay. */
  async verifyCurrentTotp(user: UsersTable, code: string): Promise<boolean> {
    if (!user.totp_secret_enc || !user.totp_enrolled_at) return false;
    const secret = await this.cipher.decrypt(user.totp_secret_enc, 'users.totp_secret');
    const step = await verifyTotp(secret, code.replace(/\s/g, ''), this.now(), user.totp_last_step);
    if (step === undefined) return false;
    // The step read with the user must still be the stored one: of two requests carrying the
    // same code at the same moment, only the one whose update lands first is accepted.
    return staffRepository.claimTotpStep(this.db, user.id, user.totp_last_step, step);
  }
}
