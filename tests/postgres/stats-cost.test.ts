import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { statistics } from '../../src/domain/statistics.js';
import { type PostgresStore, openStore } from '../../src/storage/database.js';
import { runUrp, tempWorkspace } from '../helpers/cli.js';

/**
 * Issue 13 (a year of a million reports in under a second): on PostgreSQL
 * the statistics compute each report's durations only where a value is
 * needed, in the two columns of durations the percentiles read, never to
 * count or to filter (storage/derived-figures.ts). Computing julianday() in
 * a filter and in the counts made the statistics of a year twice as slow.
 * The figures stay those of `urp stats` on SQLite (the parity test of
 * shared-register.test.ts); here, the durations of the demo register are
 * counted and sorted as before.
 */
let workspace: ReturnType<typeof tempWorkspace>;
let store: PostgresStore;

beforeAll(async () => {
  workspace = tempWorkspace({ init: false });
  const made = await runUrp(['--db', workspace.db, 'init', '--demo']);
  expect(made.code, made.stderr).toBe(0);
  store = (await openStore(workspace.db)) as PostgresStore;
}, 120_000);
afterAll(async () => {
  await store?.close();
  workspace?.cleanup();
});

it('computes durations only in the columns it reads, and counts them from their instants', async () => {
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    sent.push(typeof config === 'string' ? config : config.text);
    return (original as (...all: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  let stats;
  try {
    stats = await statistics(store.db, { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z'), asOf: new Date('2026-11-26T08:00:00Z'), timeZone: 'Europe/Rome' });
  } finally {
    pg.Client.prototype.query = original;
  }
  const withDurations = sent.filter((text) => text.includes('julianday('));
  // The two percentile columns, each one duration (two instants): nowhere else, not in a filter.
  expect(withDurations).toHaveLength(2);
  for (const text of withDurations) {
    expect(text.match(/julianday\(/g), text).toHaveLength(2);
    expect(text.split(' where ')[1], text).not.toContain('julianday(');
  }
  // The demo register has answered and assigned reports: their durations were found.
  expect(stats.total.answered).toBeGreaterThan(0);
  expect(stats.total.medianDaysToAnswer).not.toBeNull();
  expect(stats.total.medianHoursToAssign).not.toBeNull();
}, 60_000);
