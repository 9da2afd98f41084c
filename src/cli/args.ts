import { parseArgs } from 'node:util';
import { UsageError } from './usage.ts';

/** Parses `--name value` options strictly; every listed option is required. */
export function requiredOptions<const K extends string>(args: string[], names: readonly K[]): Record<K, string> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = names.filter((name) => typeof values[name] !== 'string' || values[name] === '');
  if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return values as Record<K, string>;
}

export function noArguments(args: string[]): void {
  if (args.length) throw new UsageError(`Unexpected argument: ${args[0]}`);
}
