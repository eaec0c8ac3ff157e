import { afterEach, beforeEach, expect, it } from 'vitest';
import { overdue } from '../../src/domain/overdue.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

it('reads the printout from the partial indexes of open reports alone', async () => {
  const statements: string[] = [];
  const prepare = store.sqlite.prepare.bind(store.sqlite);
  store.sqlite.prepare = ((source: string) => {
    statements.push(source);
    return prepare(source);
  }) as typeof store.sqlite.prepare;
  await overdue(store.db, new Date('2026-11-26T08:00:00Z'), { soonDays: 5 });
  store.sqlite.prepare = prepare;
  const onReports = statements.filter((source) => /from "reports"/.test(source));
  expect(onReports).toHaveLength(4);
  for (const source of onReports) {
    const parameters = Array.from({ length: (source.match(/\?/g) ?? []).length }, () => '2026-11-26T08:00:00.000Z');
    const plan = (store.sqlite.prepare(`explain query plan ${source}`).all(...parameters) as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
    expect(plan, source).toMatch(/USING COVERING INDEX reports_open_(assign|reply)_due/);
  }
});
