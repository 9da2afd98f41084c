import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/**
 * `liaison audit checkpoint`: verifies the trail and prints where it stands as
 * `SEQ:HASH` (the last line), to keep somewhere other than this server. Later,
 * `liaison audit verify --since-checkpoint SEQ:HASH` notices entries removed
 * below it even if whoever removed them could also re-key the head.
 */
export const auditCheckpoint: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(
    config,
    output,
    async (services) => {
      const { result, checkpoint } = await services.audit.checkpoint();
      if (!result.ok || !checkpoint) {
        output.out(
          `Audit trail BROKEN at entry ${result.ok ? 0 : result.firstBadSeq}: ${result.ok ? '' : result.reason}. No checkpoint was made.`,
        );
        return 1;
      }
      output.out(
        `Audit trail intact: ${result.checked} entries. Keep this checkpoint somewhere other than this server:`,
      );
      output.out(`${checkpoint.seq}:${checkpoint.hash}`);
      return 0;
    },
    { keyAuditHead: false },
  );
};
