import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/** `liaison keys rotate`: new data-encryption key for new data; old ciphertexts stay readable by key id. Prints the new key id last. */
export const keysRotate: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(config, output, async (services) => {
    const { previous, keyId } = await services.dataKeys.rotate({ kind: 'cli' });
    // A running server keeps the key it loaded at start-up for new data (it can read the new key's data at once).
    output.out(
      `New data-encryption key in use for new data; data written with ${previous} and earlier keys stays readable.`,
    );
    output.out('Restart running servers so that they, too, use it for new data. New key id:');
    output.out(keyId);
    return 0;
  });
};
