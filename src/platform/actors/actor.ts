import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';

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
