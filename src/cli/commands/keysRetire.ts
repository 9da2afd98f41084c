import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/**
 * `liaison keys retire ID`: retires a rotated-out data key for good, so it can
 * no longer decrypt. Refused (exit 1, saying how many values per table still
 * use it) until nothing is encrypted with it any more.
 */
export const keysRetire: Command = async (config, args, output) => {
  if (args.length !== 1)
    throw new UsageError(args.length ? `Unexpected argument: ${args[1]}` : 'Name the key to retire');
  const [keyId] = args as [string];
  if (!/^dk-[a-z0-9-]{1,60}$/.test(keyId)) throw new UsageError(`Not a data key id: ${keyId.slice(0, 80)}`);
  return withServices(config, output, async (services) => {
    const retired = await services.dataKeys.retire(keyId, { kind: 'cli' });
    output.out(
      retired
        ? `Data key ${keyId} is retired: nothing was encrypted with it any more, and it can no longer decrypt.`
        : `Data key ${keyId} was already retired.`,
    );
    return 0;
  });
};
