import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queues } from '../../src/domain/queues.js';
import { type PostgresStore, openStore } from '../../src/storage/database.js';
import { runUrp, tempWorkspace, testServer } from '../helpers/cli.js';
import { psql } from '../helpers/postgres-cluster.mjs';

/**
 * Issue 13: on PostgreSQL too the queue ranks and counts each pile from an
 * index alone, without reading the reports' rows (the server's indexes do
 * not hold a row's id unless told: migrations/postgres/2026-12-02-001).
 * The plans are those of the queries the queue really sends, captured on
 * their way to the server, with the server's cheaper ways of reading a
 * small table turned off.
 */
let workspace: ReturnType<typeof tempWorkspace>;
let store: PostgresStore;
const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

beforeAll(async () => {
  workspace = tempWorkspace({ init: false });
  const made = await runUrp(['--db', workspace.db, 'init', '--demo']);
  expect(made.code, made.stderr).toBe(0);
  // As db copy does and autovacuum would: an index-only scan needs the pages marked all-visible.
  psql(testServer(), databaseOf(workspace.db), 'vacuum analyze reports');
  store = (await openStore(workspace.db)) as PostgresStore;
}, 120_000);
afterAll(async () => {
  await store?.close();
  workspace?.cleanup();
});

async function rankingPlans(areaIds: number[] | undefined): Promise<Array<{ text: string; plan: string }>> {
  const sent: Array<{ text: string; values: unknown[] }> = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === 'string' ? config : config.text;
    if (text.includes('row_number()')) sent.push({ text, values: (typeof config === 'string' ? values : config.values) ?? [] });
    return (original as (...all: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await queues(store.db, new Date('2026-11-26T08:00:00Z'), { areaIds });
  } finally {
    pg.Client.prototype.query = original;
  }
  const client = new pg.Client({ connectionString: workspace.db });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
    await client.query('set enable_bitmapscan = off');
    const plans = [];
    for (const { text, values } of sent) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${text}`, values);
      plans.push({ text, plan: rows.map((row) => row['QUERY PLAN']).join('\n') });
    }
    return plans;
  } finally {
    await client.end();
  }
}

it('ranks and counts each pile of the queue from an index alone, for URP and for one area', async () => {
  const all = await rankingPlans(undefined);
  // URP: registered (to assign, returned), answered (to close); the areas: assigned, acknowledged, suspended.
  expect(all).toHaveLength(3);
  const [toAssign, toClose, areas] = all as [{ text: string; plan: string }, { text: string; plan: string }, { text: string; plan: string }];
  // The registered ones are few: either partial index of open reports serves them (the server picks by size).
  expect(toAssign.plan, toAssign.text).toMatch(/Index (Only )?Scan using reports_open_(assign_due|area) on reports/);
  expect(toClose.plan, toClose.text).toMatch(/Index Only Scan using reports_answered_by_id on reports/);
  expect(areas.plan, areas.text).toMatch(/Index Only Scan using reports_open_by_area on reports/);
  const oneArea = await rankingPlans([1]);
  expect(oneArea).toHaveLength(1);
  expect(oneArea[0]!.plan, oneArea[0]!.text).toMatch(/Index Only Scan using reports_open_by_area on reports/);
  for (const { text, plan } of [...all, ...oneArea]) expect(plan, text).not.toMatch(/Seq Scan on reports|Bitmap Heap Scan on reports/);
}, 60_000);
