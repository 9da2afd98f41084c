import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run test:mutation` reruns for every mutant of the rules that protect people
 * (stryker.config.mjs): fast unit tests only, with no HTTP app and no PostgreSQL, so a run over
 * all of those rules finishes in minutes on two cores. The slower HTTP suites still cover the
 * same rules in `npm test`.
 */
export default defineConfig({
  test: {
    include: [
      'src/features/calendar/workingDays.test.ts',
      'src/features/calendar/calendarEdges.test.ts',
      'src/features/police-cases/victimsCodeDeadlines.test.ts',
      'src/features/throttling/addressBucket.test.ts',
      'src/features/throttling/addressBucketForms.test.ts',
      'src/features/throttling/throttleCounting.test.ts',
      'src/features/throttling/codeGuardRules.test.ts',
      'src/features/identifiers/identifiers.test.ts',
      'src/features/identifiers/checkForm.test.ts',
      'src/features/identifiers/phoneNumbers.test.ts',
      'src/features/warnings/plateMatching.test.ts',
      'src/platform/http/access.test.ts',
      'src/platform/http/caseAccess.test.ts',
      'src/features/consent/consentLedger.test.ts',
      'src/features/referrals/policeVisibility.test.ts',
    ],
    setupFiles: ['vitest.mutation.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
