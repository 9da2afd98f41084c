import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { randomId, randomToken, sha256 } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { newOrganisationSchema, type OrganisationService } from '../organisations/index.ts';
import { emailSchema } from '../staff/index.ts';
import { passwordProblem } from '../staff/index.ts';
import type { StaffAccounts } from '../staff/index.ts';
import { setupRepository } from './setupRepository.ts';

export const SETUP_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const setupFormSchema = z.object({
  orgName: newOrganisationSchema.shape.name,
  orgSlug: newOrganisationSchema.shape.slug,
  email: emailSchema,
  password: z.string(),
});
export type SetupForm = z.infer<typeof setupFormSchema>;

export class SetupError extends Error {
  constructor(
    readonly code: 'invalid_link' | 'field',
    readonly field: keyof SetupForm | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * First run: while no administrator exists, a single-use link valid for 24
 * hours lets whoever started the server create the support organisation and
 * its first administrator. There is never a default account.
 */
export class SetupService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly accounts: StaffAccounts,
    private readonly publicUrl: string,
    private readonly now: () => Date,
  ) {}

  /** Removes setup links that expired unused (a new one is issued at the next start if nobody can administer yet). */
  async purgeExpired(): Promise<number> {
    const result = await setupRepository.removeExpiredUnused(this.db, this.now().toISOString());
    return result.reduce((n, r) => n + Number(r.numDeletedRows), 0);
  }

  async needed(): Promise<boolean> {
    return !(await this.accounts.hasActiveAdmin());
  }

  /**
   * A new setup link, issued deliberately (`liaison setup-link`); any earlier
   * unused link stops working.
   */
  async issueLink(): Promise<string> {
    const { token, row } = this.newLink();
    await this.db.transaction().execute(async (trx) => {
      await setupRepository.removeUnused(trx);
      await setupRepository.insert(trx, row);
      await this.audit.record({ actorKind: 'system', action: 'setup.link-issued' }, trx);
    });
    return `${this.publicUrl}/setup/${token}`;
  }

  /**
   * The link a starting server prints: issued only when no unused, unexpired
   * link exists, so several instances (or restarts) never replace a link that
   * someone may be about to open. Otherwise says when the existing one was issued.
   */
  async issueFirstRunLink(): Promise<{ link: string } | { issuedAt: string; expiresAt: string }> {
    const { token, row } = this.newLink();
    return this.db.transaction().execute(async (trx) => {
      await setupRepository.removeExpiredUnused(trx, row.created_at);
      if (await setupRepository.insertIfNoneUnused(trx, row)) {
        await this.audit.record({ actorKind: 'system', action: 'setup.link-issued' }, trx);
        return { link: `${this.publicUrl}/setup/${token}` };
      }
      const existing = await setupRepository.findUnused(trx);
      return { issuedAt: existing?.created_at ?? row.created_at, expiresAt: existing?.expires_at ?? row.expires_at };
    });
  }

  private newLink() {
    const token = randomToken();
    const now = this.now();
    const row = {
      id: randomId(),
      token_hash: sha256(token),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SETUP_LINK_LIFETIME_MS).toISOString(),
      used_at: null,
    };
    return { token, row };
  }

  async isValid(token: string): Promise<boolean> {
    const row = await setupRepository.findByTokenHash(this.db, sha256(token));
    return !!row && !row.used_at && Date.parse(row.expires_at) > this.now().getTime() && (await this.needed());
  }

  /** Creates the organisation and its administrator; returns the administrator's user id. */
  async complete(token: string, form: SetupForm): Promise<string> {
    if (!(await this.isValid(token)))
      throw new SetupError(
        'invalid_link',
        undefined,
        'This setup link is not valid. Run `liaison setup-link` for a new one',
      );
    const problem = passwordProblem(form.password, { email: form.email, names: [form.orgName] });
    if (problem) throw new SetupError('field', 'password', problem);
    if (await this.accounts.findByEmail(form.email))
      throw new SetupError('field', 'email', 'Someone with this email address already has an account');
    return this.db.transaction().execute(async (trx) => {
      const row = await setupRepository.findByTokenHash(trx, sha256(token));
      if (!row || !(await setupRepository.markUsed(trx, row.id, this.now().toISOString()))) {
        throw new SetupError('invalid_link', undefined, 'This setup link has already been used');
      }
      const organisation = await this.organisations
        .create({ kind: 'support', name: form.orgName, slug: form.orgSlug }, { kind: 'system' }, trx)
        .catch((error: Error) => {
          throw new SetupError('field', 'orgSlug', error.message);
        });
      const userId = await this.accounts.createUser(trx, {
        orgId: organisation.id,
        role: 'admin',
        email: form.email,
        password: form.password,
      });
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: userId,
          orgId: organisation.id,
          action: 'setup.completed',
          targetKind: 'user',
          targetId: userId,
        },
        trx,
      );
      return userId;
    });
  }
}
