import { afterEach, beforeEach, expect, it } from 'vitest';
import { statistics } from '../../src/domain/statistics.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads the statistics from indexes alone, never the rows, for every grouping', async () => {
  const plans = await queryPlans(store, async () => {
    for (const by of [undefined, 'area', 'type', 'channel', 'category', 'month'] as const) {
      await statistics(store.db, {
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-11-26T00:00:00Z'),
        asOf: new Date('2026-11-26T00:00:00Z'),
        by,
        timeZone: 'Europe/Rome',
      });
    }
  });
  const onReports = plans.filter(({ source }) => /from "?reports"? (as )?"?r"?/i.test(source));
  expect(onReports.length).toBeGreaterThanOrEqual(18);
  for (const { source, plan } of onReports) {
    // Open reports: the covering index or the partial index of open reports, whichever SQLite finds cheaper.
    if (/count\(\*\) as "?open"?/.test(source)) expect(plan, source).toMatch(/USING (COVERING INDEX reports_received_at|INDEX reports_open_\w+)/);
    else expect(plan, source).toContain('USING COVERING INDEX reports_received_at');
  }
});
