import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, InvitationsTable } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId, randomToken, sha256 } from '../../platform/crypto/index.ts';
import { rolesFor, type Role } from '../../platform/http/principal.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import { normaliseEmail, type StaffAccounts } from './staffAccounts.ts';
import { passwordProblem } from './passwordPolicy.ts';
import { staffRepository } from './staffRepository.ts';

export const INVITATION_LIFETIME_MS = 72 * 60 * 60 * 1000;
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'Email address must be 254 characters or fewer')
  .email('Enter an email address in the correct format, like name@example.org');

export class InvitationError extends Error {
  constructor(
    readonly code: 'invalid_role' | 'invalid_email' | 'already_staff' | 'not_found' | 'expired' | 'used' | 'password',
    message: string,
  ) {
    super(message);
  }
}

export interface OpenInvitation {
  invitation: InvitationsTable;
  email: string;
  orgName: string;
}

/** Single-use, 72-hour invitations that let a new member of staff choose a password and enrol. */
export class InvitationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly accounts: StaffAccounts,
    private readonly publicUrl: string,
    private readonly now: () => Date,
  ) {}

  /** Invitations not accepted are kept 30 days past their expiry or cancellation (the list shows them), then forgotten. */
  async purgeLapsed(): Promise<number> {
    const before = new Date(this.now().getTime() - 30 * 24 * 60 * 60_000).toISOString();
    return staffRepository.deleteLapsedInvitations(this.db, before);
  }

  async invite(input: {
    orgId: string;
    role: Role | string;
    email: string;
    invitedBy: string | null;
  }): Promise<{ invitationId: string; link: string; expiresAt: string }> {
    const organisation = await this.organisations.findById(input.orgId);
    if (!organisation) throw new InvitationError('not_found', 'No such organisation');
    if (!rolesFor(organisation.kind).includes(input.role as Role)) {
      throw new InvitationError('invalid_role', `Role must be one of: ${rolesFor(organisation.kind).join(', ')}`);
    }
    const email = emailSchema.safeParse(input.email);
    if (!email.success) throw new InvitationError('invalid_email', email.error.issues[0]!.message);
    if (await this.accounts.findByEmail(email.data)) {
      throw new InvitationError('already_staff', 'Someone with this email address already has an account');
    }
    const token = randomToken();
    const now = this.now();
    const invitation: InvitationsTable = {
      id: randomId(),
      token_hash: sha256(token),
      org_id: organisation.id,
      role: input.role,
      email_hmac: this.accounts.emailIndex(email.data),
      email_enc: this.cipher.encrypt(normaliseEmail(email.data), 'invitations.email'),
      created_by: input.invitedBy,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
      accepted_at: null,
      revoked_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await staffRepository.insertInvitation(trx, invitation);
      await this.audit.record(
        {
          actorKind: input.invitedBy ? 'user' : 'cli',
          actorId: input.invitedBy,
          orgId: organisation.id,
          action: 'invitation.created',
          targetKind: 'invitation',
          targetId: invitation.id,
          detail: { role: input.role },
        },
        trx,
      );
    });
    return {
      invitationId: invitation.id,
      link: `${this.publicUrl}/invitation/${token}`,
      expiresAt: invitation.expires_at,
    };
  }

  /** The invitation behind a link, if it can still be accepted. */
  async open(token: string): Promise<OpenInvitation> {
    const invitation = await staffRepository.findInvitationByTokenHash(this.db, sha256(token));
    if (!invitation || invitation.revoked_at)
      throw new InvitationError('not_found', 'This invitation link is not valid');
    if (invitation.accepted_at) throw new InvitationError('used', 'This invitation has already been used');
    if (Date.parse(invitation.expires_at) <= this.now().getTime())
      throw new InvitationError('expired', 'This invitation has expired. Ask your administrator for a new one');
    const organisation = await this.organisations.findById(invitation.org_id);
    return {
      invitation,
      email: await this.cipher.decrypt(invitation.email_enc, 'invitations.email'),
      orgName: organisation?.name ?? '',
    };
  }

  /** Accepts with the chosen password; returns the new user's id. Enrolment in two-factor follows. */
  async accept(token: string, password: string): Promise<string> {
    const { invitation, email, orgName } = await this.open(token);
    const problem = passwordProblem(password, { email, names: [orgName] });
    if (problem) throw new InvitationError('password', problem);
    // Two invitations to one address: the second cannot make a duplicate account.
    if (await this.accounts.findByEmail(email))
      throw new InvitationError('already_staff', 'You already have an account. Sign in instead');
    return this.db.transaction().execute(async (trx) => {
      if (!(await staffRepository.claimInvitation(trx, invitation.id, this.now().toISOString()))) {
        throw new InvitationError('used', 'This invitation has already been used');
      }
      const userId = await this.accounts.createUser(trx, {
        orgId: invitation.org_id,
        role: invitation.role as Role,
        email,
        password,
      });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: userId,
          orgId: invitation.org_id,
          action: 'invitation.accepted',
          targetKind: 'invitation',
          targetId: invitation.id,
          detail: { role: invitation.role },
        },
        trx,
      );
      return userId;
    });
  }

  async pending(orgId: string): Promise<{ id: string; email: string; role: string; expiresAt: string }[]> {
    const rows = await staffRepository.pendingInvitations(this.db, orgId, this.now().toISOString());
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        email: await this.cipher.decrypt(r.email_enc, 'invitations.email'),
        role: r.role,
        expiresAt: r.expires_at,
      })),
    );
  }

  async revoke(invitationId: string, admin: { userId: string; orgId: string }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const result = await staffRepository.revokeInvitation(trx, invitationId, admin.orgId, this.now().toISOString());
      if (Number(result.numUpdatedRows) !== 1) throw new InvitationError('not_found', 'No such pending invitation');
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: admin.userId,
          orgId: admin.orgId,
          action: 'invitation.revoked',
          targetKind: 'invitation',
          targetId: invitationId,
        },
        trx,
      );
    });
  }
}
