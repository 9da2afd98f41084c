import { newOrganisationSchema, OrganisationError } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/** `liaison org create --kind support|police --name NAME --slug SLUG`: prints the slug. */
export const orgCreate: Command = async (config, args, output) => {
  const options = requiredOptions(args, ['kind', 'name', 'slug']);
  // Checked before the database is opened, so a typo changes nothing.
  const parsed = newOrganisationSchema.safeParse(options);
  if (!parsed.success)
    throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
  return withServices(config, output, async (services) => {
    try {
      const organisation = await services.organisations.create(parsed.data, { kind: 'cli' });
      output.out(organisation.slug);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError) throw new UsageError(`--slug: ${error.message}`);
      throw error;
    }
  });
};
