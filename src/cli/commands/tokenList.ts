import { OrganisationError } from '../../features/organisations/organisationService.ts';
import { requiredOptions } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../usage.ts';
import { withServices } from '../withServices.ts';

/** `liaison token list --org SLUG`: one line per token (never the token): id, role, state, name. */
export const tokenList: Command = async (config, args, output) => {
  const options = requiredOptions(args, ['org']);
  return withServices(config, output, async (services) => {
    let orgId: string;
    try {
      orgId = (await services.organisations.requireBySlug(options.org)).id;
    } catch (error) {
      if (error instanceof OrganisationError) throw new UsageError(`--org: ${error.message}`);
      throw error;
    }
    const tokens = await services.apiTokens.list(orgId);
    if (!tokens.length) output.err(`No API tokens at ${options.org}.`);
    for (const token of tokens) {
      const state = token.revokedAt ? `revoked ${token.revokedAt}` : `active, last used ${token.lastUsedAt ?? 'never'}`;
      output.out([token.id, token.role, token.createdAt, state, token.name].join('\t'));
    }
    return 0;
  });
};
