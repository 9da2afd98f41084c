import { PartnershipError } from '../../features/referrals/partnershipService.ts';
import { newOrganisationSchema } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/** `liaison partnership add --support SLUG --police SLUG`: links a support organisation with a police force. */
export const partnershipAdd: Command = async (config, args, output) => {
  const options = requiredOptions(args, ['support', 'police']);
  // Checked before the database is opened, so a typo changes nothing.
  for (const flag of ['support', 'police'] as const) {
    const parsed = newOrganisationSchema.shape.slug.safeParse(options[flag]);
    if (!parsed.success) throw new UsageError(`--${flag}: ${parsed.error.issues[0]!.message}`);
  }
  return withServices(config, output, async (services) => {
    try {
      await services.partnerships.linkBySlug(options.support.trim(), options.police.trim(), { kind: 'cli' });
    } catch (error) {
      if (error instanceof PartnershipError) throw new UsageError(`--${error.field}: ${error.message}`);
      throw error;
    }
    output.out(`Linked ${options.support.trim()} with ${options.police.trim()}`);
    return 0;
  });
};
