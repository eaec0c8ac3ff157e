import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/domain/demo-data.js';
import { EXPORT_CSV_COLUMNS, exportLines, exportRecordBatches, openServiceRequestLines, openServiceRequests } from '../../src/domain/export/exporter.js';
import { csvRowSql, jsonRowSql } from '../../src/storage/export-rows.js';
import type { Store } from '../../src/storage/database.js';
import { csvLine } from '../../src/text/csv.js';
import { actorAt, memoryStore, queryPlans } from '../helpers/store.js';

/**
 * Issue 12, item 4: the export's rows are written whole by SQLite. They must
 * be what urp's JavaScript rule writes (src/text/csv.ts, JSON.stringify), for
 * every kind of text a citizen or a clerk can type.
 */
let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

const HOSTILE = [
  '', ' ', 'a', ' a', 'a ', 'x,y', 'say "hi"', '"', "'", 'line\nbreak', 'cr\rhere', '\ufeffbom', '=SUM(A1)', '+39 333', '-162000', '+3.5', '3,5', '-1,5',
  '-', '+', '@here', '\tTab', '\rCR', '--1', '+-1', '1.2.3', '-1\n', '1e5', 'più, città', 'emoji 🎉', 'tab\tinside', 'ctrl \u001b[31m', 'nul-free \u0007 bell',
  '\\back\\slash', '\u2028sep', 'ﬁ', 'Ünïcödé "quoted", and, commas',
];

describe('rows written by SQLite', () => {
  it('CSV lines as csvLine writes them, JSON objects as JSON.stringify writes them', async () => {
    for (const [index, value] of HOSTILE.entries()) {
      const columns = [
        { name: 'text', value: sql`${value}`, kind: 'text' as const },
        { name: 'none', value: sql`null`, kind: 'text' as const },
        { name: 'count', value: sql.lit(index), kind: 'integer' as const },
        { name: 'flag', value: sql.lit(index % 2), kind: 'boolean' as const },
      ];
      const { rows } = await sql<{ csv: string; json: string }>`select ${csvRowSql(columns)} as csv, ${jsonRowSql(columns)} as json`.execute(store.db);
      expect(rows[0]!.csv, JSON.stringify(value)).toBe(csvLine([value, null, index, index % 2 === 1]));
      expect(rows[0]!.json, JSON.stringify(value)).toBe(JSON.stringify({ text: value, none: null, count: index, flag: index % 2 === 1 }));
    }
  });

  it('give the same export as the records built in JavaScript, in every format', async () => {
    await loadDemoData(store.db, actorAt('2026-11-26T08:00:00Z', 'demo'));
    // Hostile text in the register too.
    store.sqlite.prepare(`update reports set subject = ?, description = ?, location = ? where id % 7 = 0`).run('=HYPERLINK("x"), "quoted"', 'line\nbreak, comma', ' padded ');
    const asOf = new Date('2026-11-26T09:00:00Z');
    const records = [];
    for await (const batch of exportRecordBatches(store.db, {}, asOf)) records.push(...batch);
    expect(records.length).toBeGreaterThan(280);
    const csv: string[] = [];
    const json: string[] = [];
    for await (const batch of exportLines(store.db, {}, asOf, 'csv')) csv.push(...batch);
    for await (const batch of exportLines(store.db, {}, asOf, 'json')) json.push(...batch);
    expect(csv).toEqual(records.map((record) => csvLine(EXPORT_CSV_COLUMNS.map(({ field }) => record[field] ?? ''))));
    expect(json).toEqual(records.map((record) => JSON.stringify(record)));
    // Filters and a limit apply alike.
    const some: string[] = [];
    for await (const batch of exportLines(store.db, { status: ['closed'], limit: 5 }, asOf, 'json')) some.push(...batch);
    expect(some.map((line) => JSON.parse(line).number)).toEqual(records.filter((record) => record.status === 'closed').slice(0, 5).map((record) => record.number));

    const requests = [];
    for await (const batch of openServiceRequests(store.db, {}, asOf, 'Europe/Rome')) requests.push(...batch);
    const lines: string[] = [];
    for await (const batch of openServiceRequestLines(store.db, {}, asOf, 'Europe/Rome')) lines.push(...batch);
    expect(lines).toEqual(requests.map((request) => JSON.stringify(request)));
  });

  it('reads the reports in the order of their numbers from its index, unsorted, each reply by its key', async () => {
    const plans = (
      await queryPlans(store, async () => {
        for await (const _ of exportLines(store.db, {}, new Date(), 'csv')) void _;
      })
    ).filter(({ source }) => source.includes('from "reports"'));
    expect(plans).toHaveLength(1);
    const [{ source, plan }] = plans as [{ source: string; plan: string }];
    expect(plan, source).toContain('SCAN reports USING INDEX sqlite_autoindex_reports_1');
    expect(plan, source).toContain('SEARCH rp USING INTEGER PRIMARY KEY (rowid=?)');
    expect(plan, source).not.toContain('TEMP B-TREE');
  });
});
