import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; tests needing MariaDB, Redis, sockets or a browser live in test/.
// Integration files share one MariaDB database and one Redis, so they run one file at a time.
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-results.json' },
    projects: [
      { test: { name: 'unit', include: ['core/**/*.test.ts', 'handlers/**/*.test.ts', 'edge/**/*.test.ts', 'web/**/*.test.ts', 'infra/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
