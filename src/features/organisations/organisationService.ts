import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail, ActorKind } from '../audit/index.ts';
import { organisationRepository, type Organisation } from './organisationRepository.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const newOrganisationSchema = z.object({
  kind: z.enum(['support', 'police'], { message: 'Kind must be support or police' }),
  name: z.string().trim().min(1, 'Enter the organisation name').max(120, 'Name must be 120 characters or fewer'),
  slug: z
    .string()
    .trim()
    .regex(SLUG, 'Slug must be 1 to 40 lower-case letters, digits or hyphens, not starting or ending with a hyphen'),
});
export type NewOrganisation = z.infer<typeof newOrganisationSchema>;

export class OrganisationError extends Error {
  constructor(
    readonly code: 'slug_taken' | 'not_found' | 'invalid_areas' | 'invalid_setting',
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
  async create(
    input: NewOrganisation,
    actor: { kind: ActorKind; id?: string | null },
    outer?: Transaction<DB>,
  ): Promise<Organisation> {
    const data = newOrganisationSchema.parse(input);
    const run = async (trx: Transaction<DB>) => {
      if (await organisationRepository.findBySlug(trx, data.slug)) {
        throw new OrganisationError('slug_taken', `An organisation with slug "${data.slug}" already exists`);
      }
      const organisation: Organisation = {
        id: randomId(),
        ...data,
        created_at: this.now().toISOString(),
        sarc_information: null,
      };
      await organisationRepository.insert(trx, organisation);
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId: organisation.id,
          action: 'organisation.created',
          targetKind: 'organisation',
          targetId: organisation.id,
          detail: { kind: data.kind, slug: data.slug },
        },
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

  findBySlug(slug: string): Promise<Organisation | undefined> {
    // A web address can carry anything (a NUL byte makes PostgreSQL fail): only a possible slug is looked up.
    if (!SLUG.test(slug)) return Promise.resolve(undefined);
    return organisationRepository.findBySlug(this.db, slug);
  }

  findById(id: string): Promise<Organisation | undefined> {
    return organisationRepository.findById(this.db, id);
  }

  /** The areas people can choose from when they say where something happened, in the order set. */
  async areas(orgId: string): Promise<string[]> {
    return (await organisationRepository.areas(this.db, orgId)).map((row) => row.name);
  }

  /** Replaces the organisation's list of areas (one name per entry, blanks and repeats dropped). */
  async setAreas(orgId: string, names: string[], actor: { kind: ActorKind; id?: string | null }): Promise<string[]> {
    const clean = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
    const tooLong = clean.find((n) => n.length > 80);
    if (tooLong)
      throw new OrganisationError(
        'invalid_areas',
        `Each area must be 80 characters or fewer: "${tooLong.slice(0, 20)}…" is too long`,
      );
    if (clean.length > 100) throw new OrganisationError('invalid_areas', 'Give no more than 100 areas');
    await this.db.transaction().execute(async (trx) => {
      await organisationRepository.replaceAreas(trx, orgId, clean);
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId,
          action: 'organisation.areas-changed',
          targetKind: 'organisation',
          targetId: orgId,
          detail: { count: clean.length },
        },
        trx,
      );
    });
    return clean;
  }

  async setSarcInformation(orgId: string, text: string, actor: { kind: ActorKind; id?: string | null }): Promise<void> {
    const clean = text.trim();
    if (clean.length > 2000)
      throw new OrganisationError('invalid_setting', 'The SARC information must be 2,000 characters or fewer');
    await this.db.transaction().execute(async (trx) => {
      await organisationRepository.setSarcInformation(trx, orgId, clean || null);
      await this.audit.record(
        {
          actorKind: actor.kind,
          actorId: actor.id ?? null,
          orgId,
          action: 'organisation.sarc-information-changed',
          targetKind: 'organisation',
          targetId: orgId,
        },
        trx,
      );
    });
  }

  list(): Promise<Organisation[]> {
    return organisationRepository.list(this.db);
  }
}
