// Writes docs/dependencies.md: which feature uses which, as dependency-cruiser
// reads the imports today, with the tiers of .dependency-cruiser.cjs and the
// checker's own verdict. Run with `npm run deps:graph`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');
const { TIERS } = require(config) as { TIERS: string[][] };

interface Cruise {
  modules: { source: string; dependencies: { resolved: string; dependencyTypes: string[] }[] }[];
  summary: { violations: unknown[]; totalCruised: number; totalDependenciesCruised: number };
}
const cruise = JSON.parse(
  execFileSync(process.execPath, [bin, 'src', '--config', config, '-T', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  }),
) as Cruise;

const featureOf = (file: string) => /^src\/features\/([^/]+)\//.exec(file)?.[1];
const uses = new Map<string, Set<string>>();
for (const module of cruise.modules) {
  const from = featureOf(module.source);
  if (!from || module.source.endsWith('.test.ts')) continue;
  for (const dependency of module.dependencies) {
    const to = featureOf(dependency.resolved);
    if (to && to !== from) uses.set(from, (uses.get(from) ?? new Set()).add(to));
  }
}

const lines = [
  '# Dependencies between features',
  '',
  'Written by `npm run deps:graph` from the imports as dependency-cruiser reads them (tests left out).',
  'A feature uses only features of lower tiers, through their `index.ts` (see ARCHITECTURE.md), so',
  'this graph has no cycle.',
  '',
  `dependency-cruiser's verdict on \`.dependency-cruiser.cjs\`: ${
    cruise.summary.violations.length === 0
      ? 'no dependency violations'
      : `${cruise.summary.violations.length} violations`
  } (${cruise.summary.totalCruised} modules, ${cruise.summary.totalDependenciesCruised} dependencies).`,
  '',
  '| tier | feature | uses |',
  '| --- | --- | --- |',
  ...TIERS.flatMap((features, tier) =>
    features.map((feature) => `| ${tier + 1} | ${feature} | ${[...(uses.get(feature) ?? [])].sort().join(', ')} |`),
  ),
  '',
  '```mermaid',
  'graph BT',
  ...[...uses].flatMap(([from, tos]) =>
    [...tos].sort().map((to) => `  ${from.replace('-', '_')} --> ${to.replace('-', '_')}`),
  ),
  '```',
  '',
];
fs.writeFileSync(path.join(root, 'docs/dependencies.md'), lines.join('\n'));
console.log(`docs/dependencies.md: ${uses.size} features using others; ${cruise.summary.violations.length} violations`);
