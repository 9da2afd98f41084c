import { rebuildDerived } from '../../derivedData.ts';
import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/** `liaison derived rebuild`: refills the tables the services keep in step with others (the at-risk watch, the inbox's report tags) from the data, and moves any area typed as free text but stored in clear into its encrypted column. */
export const derivedRebuild: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(config, output, async (services) => {
    const rebuilt = await rebuildDerived(services.db, services.cipher);
    await services.audit.record({
      actorKind: 'cli',
      action: 'derived.rebuilt',
      targetKind: 'database',
      targetId: null,
      detail: { tables: rebuilt.join(',') },
    });
    output.out(`Rebuilt from the data: ${rebuilt.join(', ')}`);
    return 0;
  });
};
