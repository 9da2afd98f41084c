import { parseCheckpoint } from '../../features/audit/auditTrail.ts';
import { optionalOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/**
 * `liaison audit verify [--since-checkpoint SEQ:HASH]`: exit 0 when the hash
 * chain and the keyed head are intact (and the checkpoint's entry is still
 * there unchanged), 1 naming the first bad entry.
 */
export const auditVerify: Command = async (config, args, output) => {
  const options = optionalOptions(args, ['since-checkpoint']);
  const given = options['since-checkpoint'];
  const checkpoint = given === undefined ? undefined : parseCheckpoint(given);
  if (given !== undefined && !checkpoint)
    throw new UsageError(
      '--since-checkpoint must be SEQ:HASH as printed by liaison audit checkpoint (a number, a colon and 64 hex characters)',
    );
  return withServices(
    config,
    output,
    async (services) => {
      const result = await services.audit.verify(1000, checkpoint);
      if (result.ok) {
        output.out(
          `Audit trail intact: ${result.checked} entries${checkpoint ? `, including checkpoint ${checkpoint.seq}` : ''}.`,
        );
        if (result.keyedAt)
          output.out(
            `Note: the head was first keyed at entry ${result.keyedAt}, after an upgrade; only a checkpoint kept from before then shows that nothing was cut before it.`,
          );
        return 0;
      }
      output.out(
        `Audit trail BROKEN at entry ${result.firstBadSeq}: ${result.reason}. The ${result.checked} entries before it are intact.`,
      );
      return 1;
    },
    { keyAuditHead: false },
  );
};
