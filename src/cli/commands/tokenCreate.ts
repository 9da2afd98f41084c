import type { Config } from '../../config.ts';
import { ApiTokenError } from '../../features/api/apiTokenService.ts';
import { OrganisationError } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

export async function tokenCreate(config: Config, args: string[], print: (line: string) => void): Promise<number> {
  const options = requiredOptions(args, ['org', 'role', 'name']);
  return withServices(config, async (services) => {
    try {
      const { id, token } = await services.apiTokens.create({ orgSlug: options.org, role: options.role, name: options.name }, { kind: 'cli' });
      print(`API token ${id} for ${options.role} at ${options.org}. It is shown only now; store it in a secret manager:`);
      print(token);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError || error instanceof ApiTokenError) throw new UsageError(error.message);
      throw error;
    }
  });
}
