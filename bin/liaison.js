#!/usr/bin/env node
// The `liaison` command. TypeScript sources run through tsx's loader so that
// there is no build step between `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
