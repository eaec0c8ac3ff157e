import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/domain/demo-data.js';
import { checkDatabase } from '../../src/domain/integrity.js';
import { loadSettings } from '../../src/domain/settings.js';
import { actorAt, memoryStore } from '../helpers/store.js';

/**
 * The demo is seeded but lives relative to the moment it is loaded: which
 * steps of each report's life fall before "now" changes with the hour. It
 * must load, through the real state machine, at any moment of the year.
 */
describe('init --demo data', () => {
  // 16 moments: every 23 days, 7 hours and 13 minutes from a Sunday night in January, across both DST changes.
  const moments = Array.from({ length: 16 }, (_, index) => new Date(Date.parse('2026-01-04T23:41:00Z') + index * (23 * 24 + 7) * 3_600_000 + index * 13 * 60_000));

  it.each(moments.map((moment) => [moment.toISOString()]))('loads at %s and passes the database check', async (iso) => {
    const store = await memoryStore();
    try {
      const counts = await loadDemoData(store.db, actorAt(iso, 'demo'));
      expect(counts).toMatchObject({ areas: 6, categories: 10, citizens: 60 });
      expect(counts.reports).toBeGreaterThan(280);
      const reports = store.sqlite.prepare('select status, count(*) as n from reports group by status').all() as Array<{ status: string; n: number }>;
      expect(reports.reduce((sum, row) => sum + row.n, 0)).toBe(counts.reports);
      // A demo worth looking at: open work in several states, and closed history.
      const statuses = new Set(reports.map((row) => row.status));
      for (const status of ['registered', 'assigned', 'acknowledged', 'closed']) expect(statuses).toContain(status);
      const problems = await checkDatabase(store.db, await loadSettings(store.db), new Date(iso));
      expect(problems).toEqual([]);
    } finally {
      store.close();
    }
  });
});
