// @ts-check
/**
 * Mutation testing of the rules that protect people: `npm run test:mutation` (not part of
 * `npm test`: a run takes minutes). Figures, survivors and why each is acceptable: docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    // Working days, bank holidays and the Victims' Code deadlines.
    'src/features/calendar/workingDays.ts',
    'src/features/calendar/bankHolidays.ts',
    // The duty's deadline is computed inside police-cases/duties.ts together with its queries; the
    // rules it reads (the seed of victims_code_rules) and who has enhanced rights are pure.
    'src/features/police-cases/victimsCodeRules.ts',
    'src/features/police-cases/enhancedRights.ts',
    // Receipt and member code throttling.
    'src/features/throttling/codeGuard.ts',
    'src/features/throttling/throttle.ts',
    'src/features/throttling/addressBucket.ts',
    // Matching a phone number or a plate against warnings.
    'src/features/identifiers/checkForm.ts',
    'src/features/identifiers/phone.ts',
    'src/features/identifiers/readIdentifier.ts',
    'src/features/identifiers/registration.ts',
    'src/features/warnings/plateMatching.ts',
    // Access: deny by default, roles and organisation kinds, 404 for what is concealed.
    'src/platform/http/access.ts',
    'src/platform/http/caseAccess.ts',
    // Consent, and what a police reader may see under it.
    'src/features/consent/consentLedger.ts',
    'src/features/referrals/policeVisibility.ts',
  ],
  // Two cores shared with others.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  tempDirName: '.stryker-tmp',
  // The sandbox needs the sources and tests only; build output, data and locks of other runs stay out.
  ignorePatterns: ['dist', '.dist-*', 'data', 'coverage', '.test-data', 'test-results', 'reports', 'public', 'deploy'],
  cleanTempDir: true,
};
export default config;
