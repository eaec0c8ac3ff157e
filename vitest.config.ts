import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two runs in one (issue 13): every test on SQLite, and the end-to-end
 * tests again on PostgreSQL, against a throwaway cluster the PostgreSQL
 * project starts itself (tests/setup/postgres.ts). Without PostgreSQL on the
 * machine that project fails, naming the package to install, unless
 * URP_TEST_POSTGRES=skip says to leave it out.
 *
 * Test files run one per core (vitest's default leaves one core out: on two
 * cores, one worker, the second core idle while the worker waits on the
 * bin/urp it started). The tests whose guarantee is a matter of time under
 * load (a clerk waits at most 30 s behind a 200,000-row import; kills at
 * moments chosen from a timed import; several writers for 10 s) run after
 * the others, one at a time, as each engine's "alone" project, so that no
 * other test file competes with them for the machine.
 */
const shared = {
  // End-to-end tests start bin/urp as a subprocess: give them room on a 2-core machine.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};
// privacy.test.ts reads the erased values' absence from the server's files: VACUUM FULL keeps a row
// version any open snapshot in the register's database may still see (an autovacuum ANALYZE, another
// session's long read), so that guarantee holds only while nothing else reads the database (README).
const ALONE = ['tests/e2e/crash.test.ts', 'tests/e2e/trust-import-lock.test.ts', 'tests/e2e/concurrency.test.ts', 'tests/e2e/numbering.test.ts', 'tests/e2e/privacy.test.ts'];
const together = { ...shared, maxWorkers: availableParallelism(), sequence: { groupOrder: 0 } };
const alone = { ...shared, maxWorkers: 1, sequence: { groupOrder: 1 } };

const postgres = process.env.URP_TEST_POSTGRES !== 'skip';
const onPostgres = { env: { URP_TEST_ENGINE: 'postgres' }, globalSetup: ['tests/setup/postgres.ts'] };

export default defineConfig({
  test: {
    projects: [
      { test: { ...together, name: 'sqlite', include: ['tests/**/*.test.ts'], exclude: ['tests/postgres/**', ...ALONE] } },
      { test: { ...alone, name: 'sqlite-alone', include: ALONE } },
      ...(postgres
        ? [
            { test: { ...together, ...onPostgres, name: 'postgres', include: ['tests/e2e/**/*.test.ts', 'tests/postgres/**/*.test.ts'], exclude: ALONE } },
            { test: { ...alone, ...onPostgres, name: 'postgres-alone', include: ALONE } },
          ]
        : []),
    ],
  },
});
