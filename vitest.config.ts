import { defineConfig } from 'vitest/config';

// CI asks for a JSON report too, to print the closing "N passed, N failed" line.
const reportFile = process.env.TEST_REPORT_FILE;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: argon2 and PostgreSQL set-up are CPU-bound.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: reportFile ? ['default', ['json', { outputFile: reportFile }]] : ['default'],
  },
});
