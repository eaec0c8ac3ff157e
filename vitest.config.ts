import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two runs in one (issue 13): every test on SQLite, and the end-to-end
 * tests again on PostgreSQL, against a throwaway cluster the PostgreSQL
 * project starts itself (tests/setup/postgres.ts). Without PostgreSQL on the
 * machine that project fails, naming the package to install, unless
 * URP_TEST_POSTGRES=skip says to leave it out.
 */
const shared = {
  // End-to-end tests start bin/urp as a subprocess: give them room on a 2-core machine.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // One test file per core (vitest's default leaves one core out): an end-to-end test mostly waits
  // on the bin/urp it started, so on two cores one worker left the second idle most of the run.
  maxWorkers: availableParallelism(),
};

const postgres = process.env.URP_TEST_POSTGRES !== 'skip';

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/postgres/**'] },
      },
      ...(postgres
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: ['tests/e2e/**/*.test.ts', 'tests/postgres/**/*.test.ts'],
                env: { URP_TEST_ENGINE: 'postgres' },
                globalSetup: ['tests/setup/postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
