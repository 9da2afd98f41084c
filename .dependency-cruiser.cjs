// Import boundaries, checked by `npm run lint` (dependency-cruiser).
//
// Features are stacked in tiers. A feature may import only features of a
// lower tier, and only through that feature's `index.ts`, so the graph of
// features cannot have a cycle and each feature's insides can change freely.
// A new feature goes into the lowest tier above everything it needs.
const TIERS = [
  ['vocabulary', 'identifiers', 'audit', 'consent', 'health', 'public-site', 'sessions', 'backup'],
  ['organisations', 'feedback', 'calendar', 'throttling', 'keys', 'jobs'],
  ['staff', 'api', 'attrition'],
  ['sign-in', 'setup', 'training', 'casework'],
  ['people', 'police-cases', 'referrals'],
  ['outreach', 'appointments'],
  ['case-messages'],
  ['reporting'],
  ['warnings'],
  ['members'],
  ['retention'],
];

const tierOf = new Map(TIERS.flatMap((names, tier) => names.map((name) => [name, tier])));
const everyFeature = [...tierOf.keys()];
const alternatives = (names) => `(${names.join('|')})`;

// Imports a file in a test may make: tests reach into what they test.
const notTests = '\\.test\\.ts$';

const tierRules = everyFeature.map((name) => {
  const lower = everyFeature.filter((other) => tierOf.get(other) < tierOf.get(name));
  const allowed = lower.length ? `^src/features/${alternatives(lower)}/index\\.ts$` : '^$';
  return {
    name: `tier-${name}`,
    comment: `${name} may use lower-tier features (${lower.join(', ') || 'none'}) through their index.ts only`,
    severity: 'error',
    from: { path: `^src/features/${name}/`, pathNot: notTests },
    to: { path: '^src/features/', pathNot: [`^src/features/${name}/`, allowed] },
  };
});

module.exports = {
  forbidden: [
    ...tierRules,
    {
      name: 'feature-listed-in-a-tier',
      comment: 'every folder under src/features/ is placed in a tier in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: `^src/features/(?!${alternatives(everyFeature)}/)` },
      to: {},
    },
    {
      name: 'feature-listed-in-a-tier',
      severity: 'error',
      from: {},
      to: { path: `^src/features/(?!${alternatives(everyFeature)}/)` },
    },
    {
      name: 'public-surface-hides-internals',
      comment: "a feature's index.ts never hands out its repositories, routes or views",
      severity: 'error',
      from: { path: '^src/features/[^/]+/index\\.ts$' },
      to: { path: '(Repository\\.ts|[Rr]outes\\.ts|/api\\.ts|/views/)$' },
    },
    {
      name: 'platform-knows-no-feature',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: notTests },
      to: { path: '^src/(features|cli)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'migrations-stand-alone',
      comment: 'a migration must never change when application code changes',
      severity: 'error',
      from: { path: '^src/platform/db/migrations/' },
      to: { path: '^src/', pathNot: '^src/platform/db/migrations/' },
    },
    {
      name: 'features-use-the-root-for-types-only',
      comment: 'routes receive services from the composition root; nothing else of the root is imported',
      severity: 'error',
      from: { path: '^src/features/', pathNot: notTests },
      to: { path: '^src/[^/]+\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: notTests },
      to: { circular: true },
    },
    {
      name: 'application-never-imports-tests',
      severity: 'error',
      from: { path: '^src/', pathNot: notTests },
      to: { path: '^test/|\\.test\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|public|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};

// For scripts/dependency-graph.ts; not enumerable, so dependency-cruiser's schema never sees it.
Object.defineProperty(module.exports, 'TIERS', { value: TIERS, enumerable: false });
