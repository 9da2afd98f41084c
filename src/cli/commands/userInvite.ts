import type { Config } from '../../config.ts';
import { OrganisationError } from '../../features/organisations/organisationService.ts';
import { InvitationError } from '../../features/staff/invitationService.ts';
import { requiredOptions } from '../args.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

export async function userInvite(config: Config, args: string[], print: (line: string) => void): Promise<number> {
  const options = requiredOptions(args, ['org', 'role', 'email']);
  return withServices(config, async (services) => {
    try {
      const organisation = await services.organisations.requireBySlug(options.org);
      const { link, expiresAt } = await services.invitations.invite({ orgId: organisation.id, role: options.role, email: options.email, invitedBy: null });
      print(`Invitation for ${options.role} at ${organisation.slug}, valid until ${expiresAt}. Send this link privately; it works once:`);
      print(link);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError || error instanceof InvitationError) throw new UsageError(error.message);
      throw error;
    }
  });
}
