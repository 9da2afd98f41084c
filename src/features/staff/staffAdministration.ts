import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { rolesFor, type Role, type StaffIdentity } from '../../platform/http/principal.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { SessionStore } from '../sessions/index.ts';
import type { StaffAccounts } from './staffAccounts.ts';
import { staffRepository } from './staffRepository.ts';

/** The working roles an administrator may also hold. */
export const CASEWORK_ROLES = ['caseworker', 'liaison'] as const;

export interface StaffMember {
  id: string;
  email: string;
  role: string;
  /** For administrators who also work cases: 'caseworker' or 'liaison'. */
  caseworkRole: string | null;
  twoFactor: boolean;
  disabled: boolean;
  lastSignInAt: string | null;
}

export class StaffAdminError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_role' | 'self',
    message: string,
    /** The form field the message belongs to. */
    readonly field: 'role' | 'caseworkRole' = 'role',
  ) {
    super(message);
  }
}

/** What an administrator can do to the staff of their own organisation. Every change is audited. */
export class StaffAdministration {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly accounts: StaffAccounts,
    private readonly sessions: SessionStore,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  async list(admin: StaffIdentity): Promise<StaffMember[]> {
    const rows = await staffRepository.listUsers(this.db, admin.orgId);
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        email: await this.accounts.email(row),
        role: row.role,
        caseworkRole: row.casework_role,
        twoFactor: row.totp_enrolled_at !== null,
        disabled: row.disabled_at !== null,
        lastSignInAt: row.last_sign_in_at,
      })),
    );
  }

  /** Accounts without contact details, for API clients. */
  async listForOrganisation(orgId: string) {
    const rows = await staffRepository.listUsers(this.db, orgId);
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      twoFactor: row.totp_enrolled_at !== null,
      disabled: row.disabled_at !== null,
      lastSignInAt: row.last_sign_in_at,
    }));
  }

  async get(admin: StaffIdentity, userId: string): Promise<StaffMember> {
    const member = (await this.list(admin)).find((m) => m.id === userId);
    if (!member) throw new StaffAdminError('not_found', 'No such member of staff in your organisation');
    return member;
  }

  async changeRole(admin: StaffIdentity, userId: string, role: string): Promise<void> {
    const user = await this.ownUser(admin, userId);
    if (!rolesFor(admin.orgKind).includes(role as Role))
      throw new StaffAdminError('invalid_role', `Choose one of: ${rolesFor(admin.orgKind).join(', ')}`);
    if (user.id === admin.userId)
      throw new StaffAdminError('self', 'You cannot change your own role: ask another administrator');
    await this.db.transaction().execute(async (trx) => {
      await staffRepository.updateUser(trx, userId, { role });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'user.role-changed',
          targetKind: 'user',
          targetId: userId,
          detail: { from: user.role, to: role },
        },
        trx,
      );
    });
    // Sessions carry no role (it is read on every request), so the change applies at once.
  }

  /**
   * Lets an administrator of a support organisation also work cases (or stop).
   * Allowed for oneself too: an administrator could as well invite themselves
   * a second account, and this keeps one person to one account. Audited.
   */
  async setCaseworkRole(admin: StaffIdentity, userId: string, caseworkRole: string): Promise<void> {
    const user = await this.ownUser(admin, userId);
    if (admin.orgKind !== 'support' || user.role !== 'admin')
      throw new StaffAdminError(
        'invalid_role',
        'Only administrators of a support organisation can also work cases',
        'caseworkRole',
      );
    if (!(CASEWORK_ROLES as readonly string[]).includes(caseworkRole) && caseworkRole !== '')
      throw new StaffAdminError('invalid_role', 'Choose caseworker, liaison or neither', 'caseworkRole');
    const next = caseworkRole || null;
    if (next === user.casework_role) return;
    await this.db.transaction().execute(async (trx) => {
      await staffRepository.updateUser(trx, userId, { casework_role: next });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'user.casework-role-changed',
          targetKind: 'user',
          targetId: userId,
          detail: { from: user.casework_role, to: next },
        },
        trx,
      );
    });
  }

  /** Clears their two-factor secret and recovery codes and signs them out; they enrol again at next sign-in. */
  async resetTwoFactor(admin: StaffIdentity, userId: string): Promise<void> {
    await this.ownUser(admin, userId);
    if (userId === admin.userId)
      throw new StaffAdminError('self', 'You cannot reset your own two-factor: ask another administrator');
    await this.db.transaction().execute(async (trx) => {
      await staffRepository.updateUser(trx, userId, {
        totp_secret_enc: null,
        totp_enrolled_at: null,
        totp_last_step: null,
      });
      await staffRepository.deleteRecoveryCodes(trx, userId);
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'user.two-factor-reset',
          targetKind: 'user',
          targetId: userId,
        },
        trx,
      );
    });
    await this.sessions.destroyAllFor(userId);
  }

  async setDisabled(admin: StaffIdentity, userId: string, disabled: boolean): Promise<void> {
    await this.ownUser(admin, userId);
    if (userId === admin.userId) throw new StaffAdminError('self', 'You cannot disable your own account');
    await this.db.transaction().execute(async (trx) => {
      await staffRepository.updateUser(trx, userId, { disabled_at: disabled ? this.now().toISOString() : null });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: disabled ? 'user.disabled' : 'user.enabled',
          targetKind: 'user',
          targetId: userId,
        },
        trx,
      );
    });
    if (disabled) await this.sessions.destroyAllFor(userId);
  }

  private async ownUser(admin: StaffIdentity, userId: string) {
    const user = await staffRepository.findUser(this.db, userId);
    if (!user || user.org_id !== admin.orgId)
      throw new StaffAdminError('not_found', 'No such member of staff in your organisation');
    return user;
  }
}
