import { noArguments } from '../args.ts';
import type { Command } from '../command.ts';
import { withServices } from '../withServices.ts';

/** `liaison audit verify`: exit 0 when the hash chain is intact, 1 naming the first bad entry. */
export const auditVerify: Command = async (config, args, output) => {
  noArguments(args);
  return withServices(config, output, async (services) => {
    const result = await services.audit.verify();
    if (result.ok) {
      output.out(`Audit trail intact: ${result.checked} entries.`);
      return 0;
    }
    output.out(`Audit trail BROKEN at entry ${result.firstBadSeq}: ${result.reason}. The ${result.checked} entries before it are intact.`);
    return 1;
  });
};
