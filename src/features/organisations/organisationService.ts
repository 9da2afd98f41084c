import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail, ActorKind } from '../audit/auditTrail.ts';
import { organisationRepository, type Organisation } from './organisationRepository.ts';

export const newOrganisationSchema = z.object({
  kind: z.enum(['support', 'police'], { message: 'Kind must be support or police' }),
  name: z.string().trim().min(1, 'Enter the organisation name').max(120, 'Name must be 120 characters or fewer'),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Slug must be 1 to 40 lower-case letters, digits or hyphens, not starting or ending with a hyphen'),
});
export type NewOrganisation = z.infer<typeof newOrganisationSchema>;

export class OrganisationError extends Error {
  constructor(
    readonly code: 'slug_taken' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** Support organisations (charities, projects) and police forces. */
export class OrganisationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates an organisation (inside the caller's transaction when given); input is validated by `newOrganisationSchema`. */
  async create(input: NewOrganisation, actor: { kind: ActorKind; id?: string | null }, outer?: Transaction<DB>): Promise<Organisation> {
    const data = newOrganisationSchema.parse(input);
    const run = async (trx: Transaction<DB>) => {
      if (await organisationRepository.findBySlug(trx, data.slug)) {
        throw new OrganisationError('slug_taken', `An organisation with slug "${data.slug}" already exists`);
      }
      const organisation: Organisation = { id: randomId(), ...data, created_at: this.now().toISOString() };
      await organisationRepository.insert(trx, organisation);
      await this.audit.record(
        { actorKind: actor.kind, actorId: actor.id ?? null, orgId: organisation.id, action: 'organisation.created', targetKind: 'organisation', targetId: organisation.id, detail: { kind: data.kind, slug: data.slug } },
        trx,
      );
      return organisation;
    };
    return outer ? run(outer) : this.db.transaction().execute(run);
  }

  async requireBySlug(slug: string): Promise<Organisation> {
    const organisation = await organisationRepository.findBySlug(this.db, slug);
    if (!organisation) throw new OrganisationError('not_found', `No organisation with slug "${slug}"`);
    return organisation;
  }

  findById(id: string): Promise<Organisation | undefined> {
    return organisationRepository.findById(this.db, id);
  }

  list(): Promise<Organisation[]> {
    return organisationRepository.list(this.db);
  }
}
