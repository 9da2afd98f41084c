import { ApiTokenError } from '../../features/api/apiTokenService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/** `liaison token revoke --id ID`: the token stops working at once. */
export const tokenRevoke: Command = async (config, args, output) => {
  const { id } = requiredOptions(args, ['id']);
  return withServices(config, output, async (services) => {
    try {
      await services.apiTokens.revoke(id, { kind: 'cli' });
    } catch (error) {
      if (error instanceof ApiTokenError) throw new UsageError(`--id: ${error.message}`);
      throw error;
    }
    output.out(`Revoked API token ${id}.`);
    return 0;
  });
};
