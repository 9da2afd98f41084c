import { ApiTokenError } from '../../features/api/apiTokenService.ts';
import { OrganisationError } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

const FLAG_FOR: Record<ApiTokenError['code'], string> = {
  invalid_role: '--role',
  invalid_name: '--name',
  not_found: '--org',
};

/** `liaison token create --org SLUG --role ROLE --name LABEL`: prints the token once, as the last line. */
export const tokenCreate: Command = async (config, args, output) => {
  const options = requiredOptions(args, ['org', 'role', 'name']);
  return withServices(config, output, async (services) => {
    try {
      const { id, token } = await services.apiTokens.create(
        { orgSlug: options.org, role: options.role, name: options.name },
        { kind: 'cli' },
      );
      output.out(
        `API token ${id} for a ${options.role} at ${options.org}. It is shown only now and cannot be recovered; keep it in a secret store:`,
      );
      output.out(token);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError) throw new UsageError(`--org: ${error.message}`);
      if (error instanceof ApiTokenError) throw new UsageError(`${FLAG_FOR[error.code]}: ${error.message}`);
      throw error;
    }
  });
};
