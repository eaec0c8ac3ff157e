import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkDatabase } from '../../src/domain/integrity.js';
import { loadSettings } from '../../src/domain/settings.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

/**
 * Issue 12, item 4: db check reads each table once, in the order it is
 * stored or indexed, and looks a report's events up through their index:
 * nothing is sorted but the years, nothing scanned once per report.
 */
let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads the register in stored or indexed order, each report\'s events through their index', async () => {
  const settings = await loadSettings(store.db);
  const plans = await queryPlans(store, () => checkDatabase(store.db, settings, new Date('2026-11-26T08:00:00Z')));
  const onEvents = plans.filter(({ source }) => /exists \(select|select e\.to_status/.test(source) && !source.includes('citizen_erased'));
  // A report without its registered event, and a report's last status: one pass, one look into the report's events each.
  expect(onEvents).toHaveLength(1);
  const [{ source, plan }] = onEvents as [{ source: string; plan: string }];
  expect(plan.match(/SEARCH e USING (COVERING )?INDEX report_events_report \(report_id=\?\)/g)?.length, source).toBeGreaterThanOrEqual(2);
  expect(plan, source).toMatch(/^SCAN r\b/);
  for (const { source, plan } of plans) {
    // The years are grouped (a few rows); nothing else is sorted: the chains in id order, the reports by id.
    if (!/group by/i.test(source)) expect(plan, source).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  }
  // The replies and their seals: the events once, in id order, each answer's report, reply and later erasure through their keys.
  const replies = plans.filter(({ source }) => source.includes('citizen_erased'));
  expect(replies).toHaveLength(1);
  expect(replies[0]!.plan).toBe(
    'SCAN e | SEARCH r USING INTEGER PRIMARY KEY (rowid=?) | SEARCH p USING INDEX sqlite_autoindex_replies_1 (event_id=?) LEFT-JOIN | CORRELATED SCALAR SUBQUERY 1 | SEARCH x USING INDEX report_events_report (report_id=? AND id>?)',
  );
  // The chains: every event, once, in id order.
  const chains = plans.filter(({ source }) => source.includes('json_array('));
  expect(chains).toHaveLength(2);
  for (const { source, plan } of chains) expect(plan, source).toMatch(/^SCAN (report_events|audit_events)$/);
});
