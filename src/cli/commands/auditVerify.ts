import type { Config } from '../../config.ts';
import { noArguments } from '../args.ts';
import { withServices } from '../withServices.ts';

export async function auditVerify(config: Config, args: string[], print: (line: string) => void): Promise<number> {
  noArguments(args);
  return withServices(config, async (services) => {
    const result = await services.audit.verify();
    if (result.ok) {
      print(`Audit trail intact: ${result.checked} entries.`);
      return 0;
    }
    print(`Audit trail BROKEN at entry ${result.firstBadSeq}: ${result.reason}. ${result.checked} entries before it are intact.`);
    return 1;
  });
}
