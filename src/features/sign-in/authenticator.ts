import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Authenticator } from '../../platform/http/access.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { Principal, Role } from '../../platform/http/principal.ts';
import { sha256 } from '../../platform/crypto/index.ts';
import type { SessionStore } from '../sessions/index.ts';
import { authenticatorRepository as repo } from './authenticatorRepository.ts';

const ANONYMOUS: Principal = { kind: 'anonymous' };

export interface SessionCookie {
  name: string;
  secure: boolean;
}

/** Resolves the caller from the staff session cookie or an API bearer token. */
export class DatabaseAuthenticator implements Authenticator {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly sessions: SessionStore,
    private readonly cookie: SessionCookie,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async fromSessionCookie(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const value = request.cookies[this.cookie.name];
    if (!value) return ANONYMOUS;
    const session = await this.sessions.resume(value);
    if (!session) {
      reply.clearCookie(this.cookie.name, {
        path: '/',
        secure: this.cookie.secure,
        httpOnly: true,
        sameSite: 'strict',
      });
      return ANONYMOUS;
    }
    if (session.stage !== 'active') {
      return { kind: 'signing-in', userId: session.user_id, stage: session.stage, sessionIdHash: session.id_hash };
    }
    const user = await repo.staffWithOrganisation(this.db, session.user_id);
    if (!user || user.disabled_at) {
      await this.sessions.destroy(session.id_hash);
      return ANONYMOUS;
    }
    return {
      kind: 'staff',
      sessionIdHash: session.id_hash,
      stepUpAt: session.step_up_at,
      staff: {
        userId: user.id,
        role: user.role as Role,
        caseworkRole: user.casework_role as Role | null,
        orgId: user.orgId,
        orgKind: user.kind,
        orgSlug: user.slug,
        orgName: user.name,
      },
    };
  }

  async fromBearerToken(token: string): Promise<Principal> {
    const row = await repo.tokenWithOrganisation(this.db, sha256(token));
    if (!row || row.revoked_at) return ANONYMOUS;
    const now = this.now();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
      await repo.touchToken(this.db, row.id, now.toISOString());
    }
    return { kind: 'api', tokenId: row.id, orgId: row.org_id, orgKind: row.kind, role: row.role as Role };
  }
}
