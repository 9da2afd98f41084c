/**
 * Liaison needs Node.js 20.19 or later in the 20 line, or 22.12 or later:
 * some of its packages (through @fastify/static and light-my-request)
 * `require()` packages that are ESM-only, which earlier versions cannot do,
 * so the server would crash while starting. Returns what to tell the
 * operator, or undefined when the version is supported.
 */
export const SUPPORTED_NODE = '^20.19 || >=22.12';

export function nodeVersionProblem(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match)
    return `Cannot tell which Node.js version this is (${version}). Liaison needs Node.js 20.19 or later 20.x, or 22.12 or later.`;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
  if (supported) return undefined;
  return `Liaison needs Node.js 20.19 or later 20.x, or 22.12 or later (${SUPPORTED_NODE}); this is Node.js ${version.replace(/^v/, '')}. Install a supported version and start again.`;
}
