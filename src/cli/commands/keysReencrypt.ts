import { optionalOptions } from '../args.ts';
import type { Command, Output } from '../command.ts';
import { UsageError } from '../usage.ts';
import type { Services } from '../../composition.ts';
import { withServices } from '../withServices.ts';

/** `--batch-size N`: rows per table per transaction. */
export function batchSizeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10_000)
    throw new UsageError('--batch-size must be a whole number from 1 to 10000');
  return Number(value);
}

/**
 * Rewraps older data with the active key, printing each table that had
 * anything to do as it finishes, then a summary; exit 1 when something could
 * not be decrypted (it stays as it was, and the old key stays in use).
 */
export async function reencryptPrinting(services: Services, output: Output, batchSize?: number): Promise<number> {
  output.out(['table', 'rows rewrapped', 'rows left', 'unreadable values'].join('\t'));
  const result = await services.dataKeys.reencrypt(
    { kind: 'cli' },
    {
      batchSize,
      onTable: (t) => {
        if (t.rewrapped || t.left || t.unreadable)
          output.out([t.table, t.rewrapped, t.left, t.unreadable].map(String).join('\t'));
      },
    },
  );
  output.out(
    `Rewrapped ${result.rewrapped} ${result.rewrapped === 1 ? 'row' : 'rows'} with ${result.keyId}; ${result.left} left with older keys.`,
  );
  if (result.unreadable) {
    output.err(
      `${result.unreadable} values could not be decrypted and were left as they are; older keys they name cannot be retired.`,
    );
    return 1;
  }
  if (result.left)
    output.out('Some rows changed while this ran (a server had not yet switched keys): run it again in a few minutes.');
  return 0;
}

/** `liaison keys reencrypt [--batch-size N]`: rewraps everything written with older data keys with the active key. Safe to run again, and while servers run. */
export const keysReencrypt: Command = async (config, args, output) => {
  const batchSize = batchSizeOf(optionalOptions(args, ['batch-size'])['batch-size']);
  return withServices(config, output, (services) => reencryptPrinting(services, output, batchSize));
};
