import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/** `liaison setup-link`: a fresh first-run setup link (any earlier unused one stops working); prints it last. */
export const setupLink: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(config, output, async (services) => {
    if (!(await services.setup.needed())) {
      output.err(
        'An administrator already exists, so no setup link is needed. Administrators invite staff from the staff page.',
      );
      return 1;
    }
    const link = await services.setup.issueLink();
    output.out('One-time setup link (valid for 24 hours, single use; any earlier link no longer works):');
    output.out(link);
    return 0;
  });
};
