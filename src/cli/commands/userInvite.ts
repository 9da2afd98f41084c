import { OrganisationError } from '../../features/organisations/organisationService.ts';
import { InvitationError } from '../../features/staff/invitationService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

const FLAG_FOR: Partial<Record<InvitationError['code'], string>> = {
  invalid_role: '--role',
  invalid_email: '--email',
  already_staff: '--email',
  not_found: '--org',
};

/** `liaison user invite --org SLUG --role ROLE --email EMAIL`: prints the one-time link, last. */
export const userInvite: Command = async (config, args, output) => {
  const options = requiredOptions(args, ['org', 'role', 'email']);
  return withServices(config, output, async (services) => {
    try {
      const organisation = await services.organisations.requireBySlug(options.org);
      const { link, expiresAt } = await services.invitations.invite({
        orgId: organisation.id,
        role: options.role,
        email: options.email,
        invitedBy: null,
      });
      output.out(
        `Invitation for a ${options.role} at ${organisation.slug}, valid until ${expiresAt}. Send this link privately; it works once:`,
      );
      output.out(link);
      return 0;
    } catch (error) {
      if (error instanceof OrganisationError) throw new UsageError(`--org: ${error.message}`);
      if (error instanceof InvitationError)
        throw new UsageError(`${FLAG_FOR[error.code] ?? 'liaison user invite'}: ${error.message}`);
      throw error;
    }
  });
};
