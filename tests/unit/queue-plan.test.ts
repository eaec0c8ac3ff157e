import { afterEach, beforeEach, expect, it } from 'vitest';
import { queues } from '../../src/domain/queues.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('counts and ranks every pile of the queue from a partial index alone, and reads only the reports it shows', async () => {
  for (const areaIds of [undefined, [1]]) {
    const plans = (await queryPlans(store, () => queues(store.db, new Date('2026-11-26T08:00:00Z'), { areaIds }))).filter(({ source }) => /from "?reports"? /.test(source));
    const rankings = plans.filter(({ source }) => source.includes('row_number()'));
    // URP: registered (to assign, returned) and answered; the areas: assigned, acknowledged, suspended.
    expect(rankings).toHaveLength(areaIds ? 1 : 3);
    for (const { source, plan } of rankings) expect(plan, source).toMatch(/SCAN reports USING COVERING INDEX reports_open_(assign_due|reply_due|area)\b/);
    for (const { source, plan } of plans) expect(plan, source).not.toMatch(/SCAN reports( \||$)/);
  }
});
