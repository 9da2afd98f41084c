import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const buildScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'build.js');

/** Time for a build of dist/ on a busy two-core machine. */
export const BUILD_TIMEOUT_MS = 180_000;

/**
 * Builds dist/ when a source is newer than it, as bin/liaison.js would on its first start, so that
 * tests running bin/liaison.js never wait on a build inside their own timeouts. Test files running in
 * parallel build once: the first takes the build lock and the others wait for it.
 */
export function ensureCompiled(): void {
  execFileSync(process.execPath, [buildScript, '--if-stale'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: BUILD_TIMEOUT_MS,
  });
}

/** Environment for running bin/liaison.js after ensureCompiled(): that build, even if a source is saved meanwhile. */
export const COMPILED_ENV = { LIAISON_NO_BUILD: '1' } as const;
