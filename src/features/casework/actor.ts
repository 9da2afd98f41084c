import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { HttpError } from '../../platform/http/errors.ts';

/**
 * Who did something on a case: a member of staff in the browser, or an API
 * token (tokens belong to an organisation and a role, not to a person).
 * Stored as two columns, `actor_kind` ('user' | 'token') and `actor_id`.
 */
export interface Actor {
  kind: 'user' | 'token';
  id: string;
  orgId: string;
}

/** The actor behind a staff page or API request; the access layer has already admitted them. */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (principal.kind === 'staff') return { kind: 'user', id: principal.staff.userId, orgId: principal.staff.orgId };
  if (principal.kind === 'api') return { kind: 'token', id: principal.tokenId, orgId: principal.orgId };
  throw new HttpError(403, 'forbidden', 'Sign in first.');
}

/** Fields for `audit.record` naming this actor. */
export function auditActor(actor: Actor): { actorKind: 'user' | 'api-token'; actorId: string; orgId: string } {
  return { actorKind: actor.kind === 'user' ? 'user' : 'api-token', actorId: actor.id, orgId: actor.orgId };
}

/** Display names for actors: a staff member's email, or "API: <token name>". */
export async function actorNames(
  db: Kysely<DB>,
  cipher: FieldCipher,
  actors: { kind: string; id: string | null }[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const userIds = [...new Set(actors.filter((a) => a.kind === 'user' && a.id).map((a) => a.id as string))];
  const tokenIds = [...new Set(actors.filter((a) => a.kind === 'token' && a.id).map((a) => a.id as string))];
  if (userIds.length) {
    for (const row of await db.selectFrom('users').select(['id', 'email_enc']).where('id', 'in', userIds).execute()) {
      names.set(`user:${row.id}`, await cipher.decrypt(row.email_enc, 'users.email'));
    }
  }
  if (tokenIds.length) {
    for (const row of await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokenIds).execute()) {
      names.set(`token:${row.id}`, `API: ${row.name}`);
    }
  }
  return names;
}
