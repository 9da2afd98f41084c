#!/usr/bin/env node
// The `liaison` command. It runs the compiled code in dist/, building it first when
// it is missing or older than the TypeScript sources (a fresh clone, or after an
// edit), so `npm install && npm start` needs no separate step.
import { ensureBuilt } from '../scripts/build.js';

try {
  // LIAISON_NO_BUILD=1 runs dist/ as it is, never building: for a release built in advance, and
  // for tests, which build once first so that a source saved during the run changes nothing.
  ensureBuilt({ rebuild: process.env.LIAISON_NO_BUILD !== '1' });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
// On an unsupported Node.js the server would crash part-way through loading
// its packages; say why instead, before loading them.
const { nodeVersionProblem } = await import('../dist/platform/nodeVersion.js');
const problem = nodeVersionProblem(process.version);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const { runCli } = await import('../dist/cli/main.js');
process.exitCode = await runCli(process.argv.slice(2));
