import type { Config } from '../../config.ts';
import { noArguments } from '../args.ts';
import { withServices } from '../withServices.ts';

export async function keysRotate(config: Config, args: string[], print: (line: string) => void): Promise<number> {
  noArguments(args);
  return withServices(config, async (services) => {
    const previous = services.cipher.activeKeyId;
    const keyId = await services.cipher.rotate();
    await services.audit.record({ actorKind: 'cli', action: 'keys.rotated', targetKind: 'data-key', targetId: keyId, detail: { previous } });
    print(`New data-encryption key ${keyId} is now used for new data. Data written with ${previous} and earlier keys stays readable.`);
    return 0;
  });
}
