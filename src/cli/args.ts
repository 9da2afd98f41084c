import { parseArgs } from 'node:util';
import { UsageError } from './usage.ts';

/** Why node:util's parser refused, in our own short words (its messages suggest `--` tricks). */
function explain(error: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Option ${quoted.replace(/ <value>$/, '')} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument: ${quoted}`;
    default:
      return error.message;
  }
}

function parseStrict(args: string[], names: readonly string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
    });
  } catch (error) {
    throw new UsageError(explain(error as Error));
  }
}

/**
 * Parses `--name value` options strictly: every listed option is required,
 * exactly once, and nothing else is accepted.
 */
export function requiredOptions<const K extends string>(args: string[], names: readonly K[]): Record<K, string> {
  const values = optionalOptions(args, names);
  const missing = names.filter((name) => !values[name]?.trim());
  if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return values as Record<K, string>;
}

/** Parses `--name value` options strictly, each at most once; none is required. */
export function optionalOptions<const K extends string>(
  args: string[],
  names: readonly K[],
): Partial<Record<K, string>> {
  const parsed = parseStrict(args, names);
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    // Given twice, the parser would silently keep the last: refuse instead of guessing.
    if (seen.has(token.name)) throw new UsageError(`Option --${token.name} is given more than once`);
    seen.add(token.name);
  }
  return parsed.values as Partial<Record<K, string>>;
}

export function noArguments(args: string[]): void {
  if (args.length) throw new UsageError(`Unexpected argument: ${args[0]}`);
}
