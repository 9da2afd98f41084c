import type { Config } from '../config.ts';

/** Where a command writes: `out` is its result (stdout), `err` explains problems (stderr). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** One `liaison` command: returns the exit code (0 done, 1 failed); bad arguments throw UsageError. */
export type Command = (config: Config, args: string[], output: Output) => Promise<number>;
