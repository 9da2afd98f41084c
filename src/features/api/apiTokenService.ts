import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { randomId, randomToken, sha256 } from '../../platform/crypto/index.ts';
import { rolesFor, type Role } from '../../platform/http/principal.ts';
import type { ActorKind, AuditTrail } from '../audit/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import { apiTokenRepository } from './apiTokenRepository.ts';

// Printable characters only: the label shows up in listings and terminals.
export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the token a name')
  .max(80, 'Name must be 80 characters or fewer')
  .regex(/^[^\p{Cc}]*$/u, 'Name must not contain control characters');

export class ApiTokenError extends Error {
  constructor(
    readonly code: 'invalid_role' | 'invalid_name' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

export interface ApiTokenSummary {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type Actor = { kind: ActorKind; id?: string | null };

/** API tokens: shown once at creation, stored only as SHA-256, scoped to an organisation and role. */
export class ApiTokenService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly now: () => Date,
  ) {}

  /** Returns the token itself exactly once; only its hash is kept. */
  async create(
    input: { orgSlug: string; role: string; name: string },
    actor: Actor,
  ): Promise<{ id: string; token: string }> {
    const organisation = await this.organisations.requireBySlug(input.orgSlug);
    if (!rolesFor(organisation.kind).includes(input.role as Role)) {
      throw new ApiTokenError('invalid_role', `Role must be one of: ${rolesFor(organisation.kind).join(', ')}`);
    }
    const name = tokenNameSchema.safeParse(input.name);
    if (!name.success) throw new ApiTokenError('invalid_name', name.error.issues[0]!.message);
    // A recognisable prefix lets secret scanners spot a leaked token.
    const token = `lia_${randomToken()}`;
    const id = randomId();
    await this.db.transaction().execute(async (trx) => {
      await apiTokenRepository.insert(trx, {
        id,
        org_id: organisation.id,
        role: input.role,
        name: name.data,
        token_hash: sha256(token),
        created_at: this.now().toISOString(),
        last_used_at: null,
        revoked_at: null,
      });
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId: organisation.id,
          action: 'api-token.created',
          targetKind: 'api-token',
          targetId: id,
          detail: { role: input.role },
        },
        trx,
      );
    });
    return { id, token };
  }

  /** Every token of one organisation, revoked ones included, oldest first; never the hashes. */
  async list(orgId: string): Promise<ApiTokenSummary[]> {
    const rows = await apiTokenRepository.listForOrganisation(this.db, orgId);
    return rows.map(toSummary);
  }

  /**
   * Revokes a token at once. With `withinOrgId`, only a token of that
   * organisation can be revoked: another organisation's token reads as not
   * found, so its existence is not revealed.
   */
  async revoke(id: string, actor: Actor, withinOrgId?: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const existing = await apiTokenRepository.findById(trx, id);
      if (!existing || (withinOrgId !== undefined && existing.org_id !== withinOrgId) || existing.revoked_at) {
        throw new ApiTokenError('not_found', 'No such active token');
      }
      const row = await apiTokenRepository.revoke(trx, id, this.now().toISOString());
      if (!row) throw new ApiTokenError('not_found', 'No such active token');
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId: row.org_id,
          action: 'api-token.revoked',
          targetKind: 'api-token',
          targetId: id,
        },
        trx,
      );
    });
  }

  /** The organisation and role a token acts for. */
  async describe(id: string) {
    const row = await apiTokenRepository.describe(this.db, id);
    if (!row) throw new ApiTokenError('not_found', 'No such token');
    return row;
  }
}

function toSummary(row: {
  id: string;
  name: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
