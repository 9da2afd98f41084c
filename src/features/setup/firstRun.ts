import type { Services } from '../../composition.ts';

/** Placeholder replaced by the setup feature: prints the one-time setup link when there is no administrator. */
export async function announceFirstRunSetup(_services: Services, _print: (line: string) => void): Promise<void> {}
