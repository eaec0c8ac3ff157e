import { afterEach, beforeEach, expect, it } from 'vitest';
import { overdue } from '../../src/domain/overdue.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads the printout from the partial indexes of open reports alone', async () => {
  const plans = (await queryPlans(store, () => overdue(store.db, new Date('2026-11-26T08:00:00Z'), { soonDays: 5 }))).filter(({ source }) =>
    /from "reports"/.test(source),
  );
  expect(plans).toHaveLength(4);
  for (const { source, plan } of plans) expect(plan, source).toMatch(/USING COVERING INDEX reports_open_(assign|reply)_due/);
});
