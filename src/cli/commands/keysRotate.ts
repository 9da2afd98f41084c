import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';
import { reencryptPrinting } from './keysReencrypt.ts';

/**
 * `liaison keys rotate [--reencrypt]`: new data-encryption key for new data;
 * old ciphertexts stay readable by key id. With --reencrypt, older data is then
 * rewrapped with it at once, and a job is queued to catch what servers wrote
 * with the old key before they switched. Prints the new key id last.
 */
export const keysRotate: Command = async (config, args, output) => {
  const reencrypt = args[0] === '--reencrypt';
  noArguments(reencrypt ? args.slice(1) : args);
  return withServices(config, output, async (services) => {
    const { previous, keyId } = await services.dataKeys.rotate({ kind: 'cli' }, { queueReencryption: reencrypt });
    output.out(
      `New data-encryption key in use for new data; data written with ${previous} and earlier keys stays readable.`,
    );
    // Running servers look for a new key every minute, so none needs a restart.
    output.out('Running servers start using it for new data within about a minute.');
    let code = 0;
    if (reencrypt) {
      code = await reencryptPrinting(services, output);
      output.out('A keys.reencrypt job will run again in two minutes for anything written meanwhile.');
    }
    output.out('New key id:');
    output.out(keyId);
    return code;
  });
};
