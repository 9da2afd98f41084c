import type { Config } from '../../config.ts';
import { newOrganisationSchema, OrganisationError } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

export async function orgCreate(config: Config, args: string[], print: (line: string) => void): Promise<number> {
  const options = requiredOptions(args, ['kind', 'name', 'slug']);
  const parsed = newOrganisationSchema.safeParse(options);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
  return withServices(config, async (services) => {
    try {
      const organisation = await services.organisations.create(parsed.data, { kind: 'cli' });
      print(organisation.slug);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError) throw new UsageError(error.message);
      throw error;
    }
  });
}
