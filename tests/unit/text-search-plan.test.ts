import { afterEach, beforeEach, expect, it } from 'vitest';
import { findCitizens } from '../../src/domain/citizens.js';
import { countReports, listReports } from '../../src/domain/report-queries.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore, queryPlans } from '../helpers/store.js';

/**
 * Issue 12, item 1: searches read the trigram index, never every row. A
 * limited list takes the index's matches newest first as they come (no
 * sorting of all of them), and the reports by id.
 */
let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

const asOf = new Date('2026-11-26T08:00:00Z');

it('lists, counts and exports a search through the index of reports, the newest matches first without sorting them all', async () => {
  for (const search of ['lampione', 'Rossi Mario', '2026/301', '301']) {
    const plans = (
      await queryPlans(store, async () => {
        await listReports(store.db, { search, searchYear: 2026, limit: 20 }, asOf);
        await listReports(store.db, { search, searchYear: 2026, status: ['registered'] }, asOf);
        await countReports(store.db, { search, searchYear: 2026 }, asOf);
      })
    ).filter(({ source }) => source.includes('report_search'));
    expect(plans.length, search).toBe(4);
    for (const { source, plan } of plans) {
      // The index is the outer loop; each match's report is read by its id.
      expect(plan, source).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:/);
      expect(plan, source).toContain('SEARCH reports USING INTEGER PRIMARY KEY (rowid=?)');
      expect(plan, source).not.toMatch(/SCAN (reports|citizens)\b/);
    }
    // The first query of the limited list: the index's own order, no sorting.
    const [boundary] = plans;
    expect(boundary!.source).toMatch(/order by .*rowid.* desc limit/i);
    expect(boundary!.plan, boundary!.source).not.toContain('USE TEMP B-TREE');
  }
});

it('finds citizens by name, e-mail and part of a phone through the index of citizens', async () => {
  for (const text of ['rossi mario', 'bianchi an', 'anna.bianchi', '0331', 'example.it']) {
    const plans = (await queryPlans(store, () => findCitizens(store.db, text))).filter(({ source }) => /from "citizens"/.test(source));
    expect(plans, text).toHaveLength(1);
    const [{ source, plan }] = plans as [{ source: string; plan: string }];
    expect(source).toContain('citizen_search(');
    expect(plan, source).toMatch(/VIRTUAL TABLE INDEX \d+:/);
    expect(plan, source).toContain('SEARCH citizens USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan, source).not.toMatch(/SCAN citizens\b/);
  }
});
