import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export interface AuditFilter {
  /** Entries of this organisation plus system-wide ones (no organisation). */
  orgId: string;
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset pagination: entries with a lower sequence number than this. */
  beforeSeq?: number | undefined;
  limit: number;
}

export const auditRepository = {
  /** Newest first; reads one row more than asked so the caller knows whether there is a next page. */
  search(db: Kysely<DB>, filter: AuditFilter) {
    let query = db
      .selectFrom('audit_entries')
      .leftJoin('users', 'users.id', 'audit_entries.actor_id')
      .select([
        'audit_entries.seq',
        'audit_entries.at',
        'audit_entries.actor_kind',
        'audit_entries.actor_id',
        'audit_entries.org_id',
        'audit_entries.action',
        'audit_entries.target_kind',
        'audit_entries.target_id',
        'audit_entries.detail',
        'users.email_enc as actor_email_enc',
      ])
      .where((eb) => eb.or([eb('audit_entries.org_id', '=', filter.orgId), eb('audit_entries.org_id', 'is', null)]));
    if (filter.action) query = query.where('audit_entries.action', 'like', `${filter.action.replace(/[%_]/g, '')}%`);
    if (filter.actorId) query = query.where('audit_entries.actor_id', '=', filter.actorId);
    if (filter.targetId) query = query.where('audit_entries.target_id', '=', filter.targetId);
    if (filter.from) query = query.where('audit_entries.at', '>=', filter.from);
    if (filter.to) query = query.where('audit_entries.at', '<', filter.to);
    if (filter.beforeSeq !== undefined) query = query.where('audit_entries.seq', '<', filter.beforeSeq);
    return query
      .orderBy('audit_entries.seq', 'desc')
      .limit(filter.limit + 1)
      .execute();
  },
};
