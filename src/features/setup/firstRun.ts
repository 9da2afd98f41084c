import type { Services } from '../../composition.ts';

/** On start with no administrator, prints a one-time setup link to the console (never to the log). */
export async function announceFirstRunSetup(services: Services, print: (line: string) => void): Promise<void> {
  if (!(await services.setup.needed())) return;
  const link = await services.setup.issueLink();
  print('');
  print('No administrator exists yet. Open this one-time link within 24 hours to set up Liaison:');
  print(`  ${link}`);
  print('');
}
