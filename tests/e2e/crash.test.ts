import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the benchmark, without type declarations
import { writeImportFile } from '../bench/import-file.mjs';
import { URP_BIN, query, tableNames, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * Issue 6, crash safety: `urp import` of 200,000 rows and `report new` are
 * killed (SIGKILL: no handler runs, as in a power cut of the process) at
 * random moments. Each time the database afterwards passes `urp db check`
 * and holds all or none of what the killed process was writing.
 *
 * The moments are random; the seed is printed in every failure message, and
 * CRASH_SEED=<seed> replays a run.
 */

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
let state = SEED;
/** Uniform in [0, 1), seeded. */
const random = () => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state / 2_147_483_648;
};

const BIG_ROWS = 200_000;
const SMALL_ROWS = 10_000;
const IMPORT_KILLS = 5;
const REPORT_KILLS = 6;
const CATEGORIES = ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore'];

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Starts bin/urp and, if it is still running after `killAfterMs`, kills it with SIGKILL. */
function runAndKill(db: string, args: readonly string[], killAfterMs = Number.POSITIVE_INFINITY): Promise<Ended & { killed: boolean }> {
  const started = performance.now();
  const child = spawn(process.execPath, [URP_BIN, '--db', db, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'crash-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = Number.isFinite(killAfterMs) ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, killed: signal === 'SIGKILL' });
    });
  });
}

/** Row counts of every table: what a rolled-back write must leave exactly as it was. */
function counts(db: string): Record<string, number> {
  const tables = tableNames(db);
  return Object.fromEntries(tables.map((table) => [table, query<{ n: number }>(db, `select count(*) as n from "${table}"`)[0]!.n]));
}

/** Numbers per year 1..N, gap-free, the sequence at N. */
function expectGapFreeNumbers(db: string, context: string): void {
  const rows = query<{ year: number; sequence: number; number: string }>(db, 'select year, sequence, number from reports order by year, sequence');
  const byYear = new Map<number, number[]>();
  for (const row of rows) byYear.set(row.year, [...(byYear.get(row.year) ?? []), row.sequence]);
  for (const [year, sequences] of byYear) {
    expect(sequences, `${context}: numbers of ${year}`).toEqual(Array.from({ length: sequences.length }, (_, index) => index + 1));
    expect(query(db, 'select last_value from report_sequences where year = ?', year), `${context}: sequence of ${year}`).toEqual([{ last_value: sequences.length }]);
  }
}

describe(`SIGKILL during an import of ${BIG_ROWS.toLocaleString('en')} rows (seed ${SEED})`, () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: { URP_OPERATOR: 'crash-test' } });
  let bigText: string;
  /** Estimated length of a full import of the big file, from a complete import of a small one. */
  let estimatedMs: number;

  beforeAll(async () => {
    expect((await urp(['area', 'add', 'manutenzione', '--name', 'Manutenzione'])).code).toBe(0);
    for (const code of CATEGORIES) expect((await urp(['category', 'add', code, '--name', code, '--area', 'manutenzione'])).code).toBe(0);
    // Some reports already there, registered by hand.
    for (let index = 0; index < 3; index++) {
      const result = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', `Prima ${index}`, '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna.bianchi@example.it']);
      expect(result.code).toBe(0);
    }
    const big = join(workspace.dir, 'big.csv');
    await writeImportFile(big, BIG_ROWS);
    bigText = readFileSync(big, 'utf8');
    rmSync(big);
  }, 120_000);
  afterAll(() => workspace.cleanup());

  /** The big file with its references renamed, so that each run imports rows of its own. */
  const fileWithPrefix = (prefix: string, text = bigText) => {
    const path = join(workspace.dir, `${prefix}.csv`);
    writeFileSync(path, text.replaceAll(';OLD-', `;${prefix}-`));
    return path;
  };
  const rowsOf = (prefix: string) => query<{ n: number }>(workspace.db, 'select count(*) as n from reports where external_ref like ?', `${prefix}-%`)[0]!.n;

  it(`a complete import (${SMALL_ROWS.toLocaleString('en')} rows) holds all its rows and passes db check (and times the import)`, async () => {
    const small = join(workspace.dir, 'small.csv');
    await writeImportFile(small, SMALL_ROWS);
    const file = fileWithPrefix('ALL', readFileSync(small, 'utf8'));
    const result = await runAndKill(workspace.db, ['import', file]);
    expect(result.stderr).toMatch(new RegExp(`read ${SMALL_ROWS}, imported ${SMALL_ROWS}, skipped 0, rejected 0`));
    expect(result.code).toBe(0);
    expect(rowsOf('ALL')).toBe(SMALL_ROWS);
    expect((await urp(['db', 'check'])).code).toBe(0);
    estimatedMs = result.ms * (BIG_ROWS / SMALL_ROWS);
  }, 120_000);

  it(`killed at ${IMPORT_KILLS} random moments: db check passes, and the database holds none or all of the rows`, async () => {
    // Moments spread over the first 60% of the import (one at random in each fifth of that span).
    const span = Math.max(1_000, estimatedMs * 0.6 - 200);
    const log: string[] = [];
    let kills = 0;
    for (let attempt = 0; kills < IMPORT_KILLS; attempt++) {
      expect(attempt, `only ${kills} kills in ${attempt} attempts (seed ${SEED}): ${log.join('; ')}`).toBeLessThan(IMPORT_KILLS + 3);
      const delay = Math.round(200 + ((kills + random()) / IMPORT_KILLS) * span);
      const prefix = `K${attempt}`;
      const file = fileWithPrefix(prefix);
      const before = counts(workspace.db);
      const result = await runAndKill(workspace.db, ['import', file], delay);
      rmSync(file);
      const context = `seed ${SEED}, run ${attempt}, kill after ${delay} ms (estimated import ${Math.round(estimatedMs)} ms), ${result.killed ? 'killed' : `exited ${result.code}`}: ${result.stderr.trim()}`;
      log.push(context);
      if (result.killed) kills++;
      else expect(result.code, context).toBe(0);

      const check = await urp(['db', 'check']);
      expect(check.stdout, context).toBe('');
      expect(check.code, context).toBe(0);
      const rows = rowsOf(prefix);
      expect([0, BIG_ROWS], context).toContain(rows);
      if (rows === 0) {
        // Nothing at all of the killed import: no report, no citizen, no event, no number taken.
        expect(counts(workspace.db), context).toEqual(before);
      } else {
        expect(
          query(workspace.db, `select count(*) as n from report_events e join reports r on r.id = e.report_id where r.external_ref like ? and e.kind = 'registered' and e.source = 'import'`, `${prefix}-%`),
          context,
        ).toEqual([{ n: BIG_ROWS }]);
      }
      expectGapFreeNumbers(workspace.db, context);
    }
    // The database is free for writers again.
    const after = await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Dopo', '--citizen', '1']);
    expect(after.code, log.join('\n')).toBe(0);
  }, 300_000);
});

describe(`SIGKILL during report new (seed ${SEED})`, () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: { URP_OPERATOR: 'crash-test' } });
  afterAll(() => workspace.cleanup());

  const reportNew = (index: number) => [
    'report', 'new', '--type', 'complaint', '--channel', 'email', '--subject', `Rumore ${index}`, '--description', 'Musica alta di notte',
    '--first-name', 'Paolo', '--last-name', 'Ferrari', '--email', `paolo.${index}@example.it`, '--phone', `333 ${String(1_000_000 + index).slice(-7)}`,
  ];

  it(`killed at ${REPORT_KILLS} or more random moments: db check passes, and each report is there whole (with its citizen and event) or not at all`, async () => {
    // Complete runs first (the first one creates the database): how long report new takes here (the median of three).
    expect((await runAndKill(workspace.db, reportNew(999))).code).toBe(0);
    const timings: number[] = [];
    for (const index of [996, 997, 998]) {
      const timed = await runAndKill(workspace.db, reportNew(index));
      expect(timed.code).toBe(0);
      timings.push(timed.ms);
    }
    const duration = timings.sort((a, b) => a - b)[1]!;
    const log: string[] = [];
    let kills = 0;
    for (let attempt = 1; kills < REPORT_KILLS; attempt++) {
      expect(attempt, `only ${kills} kills in ${attempt - 1} attempts (seed ${SEED}): ${log.join('; ')}`).toBeLessThan(REPORT_KILLS * 4);
      // Anywhere from start-up to just past the usual end (the write comes last).
      const delay = Math.round(duration * (0.3 + random() * 0.75));
      const before = counts(workspace.db);
      const result = await runAndKill(workspace.db, reportNew(attempt), delay);
      const context = `seed ${SEED}, run ${attempt}, kill after ${delay} ms (report new takes ${Math.round(duration)} ms), ${result.killed ? 'killed' : `exited ${result.code}`}`;
      log.push(context);
      if (result.killed) kills++;
      else expect(result.code, `${context}: ${result.stderr}`).toBe(0);

      const check = await urp(['db', 'check']);
      expect(check.stdout, context).toBe('');
      expect(check.code, context).toBe(0);
      const after = counts(workspace.db);
      const added = after.reports! - before.reports!;
      expect([0, 1], context).toContain(added);
      if (!result.killed) expect(added, context).toBe(1);
      if (added === 0) {
        expect(after, context).toEqual(before);
      } else {
        // The report, its new citizen and its registered event came together.
        expect(query(workspace.db, 'select count(*) as n from citizens where email = ?', `paolo.${attempt}@example.it`), context).toEqual([{ n: 1 }]);
        expect(after.citizens, context).toBe(before.citizens! + 1);
        expect(after.report_events, context).toBe(before.report_events! + 1);
      }
      expectGapFreeNumbers(workspace.db, context);
    }
    expect(query(workspace.db, `select count(*) as n from report_events where kind = 'registered'`)).toEqual(query(workspace.db, 'select count(*) as n from reports'));
    expect(query(workspace.db, 'select count(*) as n from citizens')).toEqual(query(workspace.db, 'select count(*) as n from reports'));
  }, 120_000);
});
