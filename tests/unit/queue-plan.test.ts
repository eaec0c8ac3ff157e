import { afterEach, beforeEach, expect, it } from 'vitest';
import { queues } from '../../src/domain/queues.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads every pile of the queue through a partial index of open or answered reports', async () => {
  for (const areaIds of [undefined, [1]]) {
    const plans = (await queryPlans(store, () => queues(store.db, new Date('2026-11-26T08:00:00Z'), { areaIds }))).filter(({ source }) => /from "reports"/.test(source));
    expect(plans.length).toBeGreaterThanOrEqual(areaIds ? 1 : 4);
    for (const { source, plan } of plans) {
      // The reports table itself is only ever searched through an index of open (or answered) reports.
      expect(plan, source).toMatch(/(SCAN|SEARCH) reports USING (COVERING )?INDEX reports_open_(assign_due|reply_due|area)\b/);
      expect(plan, source).not.toMatch(/SCAN reports( |$)(?!USING (COVERING )?INDEX reports_open_)/);
    }
  }
});
