#!/usr/bin/env node
// The `liaison` command. TypeScript sources run through tsx's loader so that
// there is no build step between `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
// On an unsupported Node.js the server would crash part-way through loading
// its packages; say why instead, before loading them.
const { nodeVersionProblem } = await import('../src/platform/nodeVersion.ts');
const problem = nodeVersionProblem(process.version);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
