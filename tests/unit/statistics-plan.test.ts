import { afterEach, beforeEach, expect, it } from 'vitest';
import { statistics } from '../../src/domain/statistics.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads the statistics from indexes alone, never the rows, for every grouping', async () => {
  // Capture every statement the statistics run, then ask SQLite how it runs each one.
  const statements: string[] = [];
  const prepare = store.sqlite.prepare.bind(store.sqlite);
  store.sqlite.prepare = ((source: string) => {
    statements.push(source);
    return prepare(source);
  }) as typeof store.sqlite.prepare;
  for (const by of [undefined, 'area', 'type', 'channel', 'category', 'month'] as const) {
    await statistics(store.db, {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-11-26T00:00:00Z'),
      asOf: new Date('2026-11-26T00:00:00Z'),
      by,
      timeZone: 'Europe/Rome',
    });
  }
  store.sqlite.prepare = prepare;
  const onReports = statements.filter((source) => /from "?reports"? (as )?"?r"?/i.test(source));
  expect(onReports.length).toBeGreaterThanOrEqual(18);
  for (const source of onReports) {
    const parameters = Array.from({ length: (source.match(/\?/g) ?? []).length }, () => '2026-01-01T00:00:00.000Z');
    const plan = (store.sqlite.prepare(`explain query plan ${source}`).all(...parameters) as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
    // Open reports: the covering index or the partial index of open reports, whichever SQLite finds cheaper.
    if (/count\(\*\) as "?open"?/.test(source)) expect(plan, source).toMatch(/USING (COVERING INDEX reports_received_at|INDEX reports_open_\w+)/);
    else expect(plan, source).toContain('USING COVERING INDEX reports_received_at');
  }
});
