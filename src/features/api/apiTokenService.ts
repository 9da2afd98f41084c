import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { randomId, randomToken, sha256 } from '../../platform/crypto/index.ts';
import { rolesFor, type Role } from '../../platform/http/principal.ts';
import type { ActorKind, AuditTrail } from '../audit/auditTrail.ts';
import type { OrganisationService } from '../organisations/organisationService.ts';

export const tokenNameSchema = z.string().trim().min(1, 'Give the token a name').max(80, 'Name must be 80 characters or fewer');

export class ApiTokenError extends Error {}

/** API tokens: shown once at creation, stored only as SHA-256, scoped to an organisation and role. */
export class ApiTokenService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly now: () => Date,
  ) {}

  async create(input: { orgSlug: string; role: string; name: string }, actor: { kind: ActorKind; id?: string | null }): Promise<{ id: string; token: string }> {
    const organisation = await this.organisations.requireBySlug(input.orgSlug);
    if (!rolesFor(organisation.kind).includes(input.role as Role)) {
      throw new ApiTokenError(`Role must be one of: ${rolesFor(organisation.kind).join(', ')}`);
    }
    const name = tokenNameSchema.safeParse(input.name);
    if (!name.success) throw new ApiTokenError(name.error.issues[0]!.message);
    // A recognisable prefix lets secret scanners spot a leaked token.
    const token = `lia_${randomToken()}`;
    const id = randomId();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_tokens')
        .values({ id, org_id: organisation.id, role: input.role, name: name.data, token_hash: sha256(token), created_at: this.now().toISOString(), last_used_at: null, revoked_at: null })
        .execute();
      await this.audit.record(
        { actorKind: actor.kind, actorId: actor.id ?? null, orgId: organisation.id, action: 'api-token.created', targetKind: 'api-token', targetId: id, detail: { role: input.role } },
        trx,
      );
    });
    return { id, token };
  }

  async revoke(id: string, actor: { kind: ActorKind; id?: string | null }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('api_tokens').set({ revoked_at: this.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).returning('org_id').executeTakeFirst();
      if (!row) throw new ApiTokenError('No such active token');
      await this.audit.record({ actorKind: actor.kind, actorId: actor.id ?? null, orgId: row.org_id, action: 'api-token.revoked', targetKind: 'api-token', targetId: id }, trx);
    });
  }

  async describe(id: string) {
    return this.db
      .selectFrom('api_tokens')
      .innerJoin('organisations', 'organisations.id', 'api_tokens.org_id')
      .select(['api_tokens.name', 'api_tokens.role', 'organisations.id as orgId', 'organisations.slug', 'organisations.name as orgName', 'organisations.kind'])
      .where('api_tokens.id', '=', id)
      .executeTakeFirstOrThrow();
  }
}
