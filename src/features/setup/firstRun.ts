import type { Services } from '../../composition.ts';

/**
 * On start with no administrator, prints the one-time setup link to the
 * console (never to the log). Only one unused link exists at a time: when
 * another instance (or an earlier start) has issued it, this says where it
 * was printed and how to get a fresh one instead.
 */
export async function announceFirstRunSetup(services: Services, print: (line: string) => void): Promise<void> {
  if (!(await services.setup.needed())) return;
  const issued = await services.setup.issueFirstRunLink();
  print('');
  if ('link' in issued) {
    print('No administrator exists yet. Open this one-time link within 24 hours to set up Liaison:');
    print(`  ${issued.link}`);
  } else {
    print(
      `No administrator exists yet. A one-time setup link was issued at ${issued.issuedAt} and is still unused (it expires at ${issued.expiresAt}).`,
    );
    print('It was printed once, in the console of the instance that issued it (its output or journal).');
    print('To issue a fresh link instead (the earlier one then stops working), run: npx liaison setup-link');
  }
  print('');
}
