#!/usr/bin/env node
// npm run bench: performance targets, measured as ratios to a baseline taken
// in the same run (the machines are shared and noisy, absolute times are not
// comparable from one run to the next).
//
//   node tests/bench/bench.mjs [startup] [history] [import] [import-memory] [postgres] [--postgres] [--runs N]
//   (no name: all of them but postgres; the ten-year databases are generated once into .bench/)
//   postgres (or --postgres with the others): the same figures on PostgreSQL, against a throwaway
//   local server started for the run (tests/helpers/postgres-cluster.mjs), the registers copied
//   into it with `urp db copy`; a few minutes more.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** Bump when generate.mjs changes what it writes, so cached databases are made again. */
const GENERATOR_VERSION = 7;
const bin = join(root, 'bin', 'urp');
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 21;
const only = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--runs');
const wanted = (name) => (only.length === 0 && name !== 'postgres') || only.includes(name) || (name === 'postgres' && args.includes('--postgres'));

const work = mkdtempSync(join(tmpdir(), 'urp-bench-'));
const env = { ...process.env, URP_OPERATOR: 'bench', LANG: 'en_US.UTF-8', NO_COLOR: '1' };
delete env.URP_DB;

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { env, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result;
}

function timeOnce(command, commandArgs) {
  const start = process.hrtime.bigint();
  run(command, commandArgs);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Measures several commands interleaved (one run of each in turn), so that a
 * burst of load on the machine hits all of them alike.
 */
function measureInterleaved(cases, runs) {
  const times = cases.map(() => []);
  for (let round = 0; round < runs; round++) {
    cases.forEach((each, index) => {
      each.before?.(round);
      times[index].push(timeOnce(each.command, each.args(round)));
    });
  }
  return times.map(median);
}

const met = (row) => (row.atLeast ? row.ratio >= row.target : row.ratio <= row.target);

function printTable(title, rows) {
  console.log(`\n${title}`);
  const header = ['case', 'median ms', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    row.name,
    row.ms.toFixed(1),
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target === undefined ? (row.informational ? '(no target)' : '(baseline)') : `${row.atLeast ? '>=' : '<='} ${row.target}`,
    row.target === undefined ? '' : met(row) ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => line[index].length)));
  const format = (line) => line.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  return rows.every((row) => row.target === undefined || met(row));
}

let allMet = true;
console.log(`urp bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} — node ${process.version} — ${RUNS} runs per case`);

if (wanted('startup')) {
  const db = join(work, 'demo.db');
  run(process.execPath, [bin, '--db', db, 'init', '--demo']);
  const number = JSON.parse(run(process.execPath, [bin, '--db', db, 'report', 'list', '--limit', '1', '--json']).stdout)[0].number;
  const urp = (...urpArgs) => () => [bin, '--db', db, ...urpArgs];
  const cases = [
    { name: 'node -e 0', command: process.execPath, args: () => ['-e', '0'] },
    { name: 'urp --version', command: process.execPath, args: () => [bin, '--version'], target: 1.3 },
    { name: 'urp --help', command: process.execPath, args: () => [bin, '--help'], target: 1.3 },
    { name: 'urp report list --limit 20 --json', command: process.execPath, args: urp('report', 'list', '--limit', '20', '--json'), target: 2 },
    { name: 'urp report show <number> --json', command: process.execPath, args: urp('report', 'show', number, '--json'), target: 2 },
    {
      name: 'urp report new (all flags)',
      command: process.execPath,
      args: (round) =>
        urp(
          'report', 'new', '--type', 'problem', '--channel', 'phone', '--received-at', '2026-11-20T09:30',
          '--subject', `Bench report ${round}`, '--description', 'A hole in the road', '--category', 'strade',
          '--location', 'Via Roma 1', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567',
          '--email', 'mario.rossi@example.it', '--tax-code', 'RSSMRA85T10A562S', '--external-ref', `BENCH-${round}`,
        )(),
      target: 2.2,
    },
  ];
  const medians = measureInterleaved(cases, RUNS);
  const baseline = medians[0];
  allMet =
    printTable(
      'Start-up (medians, ratio to node -e 0)',
      cases.map((each, index) => ({ name: each.name, ms: medians[index], ratio: index === 0 ? undefined : medians[index] / baseline, target: each.target })),
    ) && allMet;
}

/** A ten-year register of `count` reports, generated once per generator version and kept (gitignored): 1,000,000 take about two minutes. */
async function historyDatabase(count) {
  const { generate } = await import('./generate.mjs');
  const cache = join(root, '.bench');
  mkdirSync(cache, { recursive: true });
  const path = join(cache, `history-${GENERATOR_VERSION}-${count}.db`);
  if (!existsSync(path)) {
    console.log(`generating ${count.toLocaleString('en')} reports into ${path} ...`);
    const start = performance.now();
    await generate(path, count);
    console.log(`  done in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  return path;
}

if (wanted('history')) {
  // Ten years of history: the printout and the statistics must not grow with it.
  const { NOW } = await import('./generate.mjs');
  const database = historyDatabase;
  const small = await database(1_000);
  const large = await database(1_000_000);
  const asOf = NOW.toISOString();
  const cases = [
    { name: 'node -e 0', command: process.execPath, args: () => ['-e', '0'] },
    { name: 'urp overdue, 1,000 reports', command: process.execPath, args: () => [bin, '--db', small, 'overdue', '--as-of', asOf] },
    { name: 'urp overdue, 1,000,000 reports', command: process.execPath, args: () => [bin, '--db', large, 'overdue', '--as-of', asOf] },
    { name: 'urp stats, one year of 1,000,000', command: process.execPath, args: () => [bin, '--db', large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--as-of', asOf] },
    { name: 'urp stats --by month, one year of 1,000,000', command: process.execPath, args: () => [bin, '--db', large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--by', 'month', '--as-of', asOf] },
  ];
  const medians = measureInterleaved(cases, Math.min(RUNS, 11));
  const [baseline, overdueSmall, overdueLarge, stats, statsByMonth] = medians;
  allMet =
    printTable('Ten years of history (medians)', [
      { name: cases[0].name, ms: baseline },
      { name: cases[1].name, ms: overdueSmall },
      { name: `${cases[2].name} (ratio to 1,000)`, ms: overdueLarge, ratio: overdueLarge / overdueSmall, target: 1.5 },
      // An absolute target: at most one second of wall time (the ratio column shows seconds).
      { name: `${cases[3].name} (seconds)`, ms: stats, ratio: stats / 1000, target: 1 },
      // Not a target of its own: shown for comparison.
      { name: `${cases[4].name} (seconds: ${(statsByMonth / 1000).toFixed(2)})`, ms: statsByMonth, informational: true },
    ]) && allMet;
}

if (wanted('import')) {
  // The import against a baseline measured in the same run: the same rows
  // inserted into the reports table of a fresh database (the real schema and
  // its indexes) through one prepared statement, in one transaction, with
  // nothing else (no parsing, validation, citizens, numbering or events).
  const { writeImportFile, IMPORT_HEADER } = await import('./import-file.mjs');
  const Database = (await import('better-sqlite3')).default;
  const { default: Papa } = await import('papaparse');
  const rows = 100_000;
  const file = join(work, 'import.csv');
  await writeImportFile(file, rows);
  const fresh = (name) => {
    const db = join(work, name);
    run(process.execPath, [bin, '--db', db, 'init']);
    for (const code of ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore']) {
      run(process.execPath, [bin, '--db', db, 'category', 'add', code, '--name', code]);
    }
    return db;
  };

  const baselineDb = fresh('baseline.db');
  const parsed = Papa.parse((await import('node:fs')).readFileSync(file, 'utf8'), { delimiter: ';', skipEmptyLines: true }).data.slice(1);
  const connection = new Database(baselineDb);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.prepare("insert into citizens (first_name, last_name, search_name, created_at, updated_at) values ('a', 'b', 'b a', 'x', 'x')").run();
  const insert = connection.prepare(`insert into reports (number, year, sequence, type, channel, status, subject, description, location,
    external_ref, citizen_id, received_at, registered_at, assign_counted_from, assign_due_at, first_assign_due_at,
    reply_counted_from, reply_due_at, updated_at) values (?, 2026, ?, 'problem', 'phone', 'registered', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const column = (name) => IMPORT_HEADER.indexOf(name);
  const isoOf = (text) => {
    const [date, time] = text.split(' ');
    const [day, month, year] = date.split('/');
    return new Date(`${year}-${month}-${day}T${time}:00Z`).toISOString();
  };
  const baselineStart = performance.now();
  connection.transaction(() => {
    parsed.forEach((row, index) => {
      const when = isoOf(row[column('data')]);
      insert.run(`2026/${String(index + 1).padStart(6, '0')}`, index + 1, row[column('oggetto')], row[column('descrizione')], row[column('luogo')], row[column('riferimento')], when, when, when, when, when, when, when, when);
    });
  })();
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  connection.close();

  const importDb = fresh('import.db');
  const importStart = performance.now();
  const output = run(process.execPath, [bin, '--db', importDb, 'import', file]);
  const importSeconds = (performance.now() - importStart) / 1000;
  const imported = Number(/imported (\d+)/.exec(output.stderr)?.[1]);
  if (imported !== rows) throw new Error(`import imported ${imported} of ${rows}: ${output.stderr}`);

  const baselineRate = rows / baselineSeconds;
  const importRate = rows / importSeconds;
  allMet =
    printTable(`Import of ${rows.toLocaleString('en')} CSV rows (rows per second; ratio = import / baseline)`, [
      { name: 'baseline: prepared insert into reports', ms: baselineSeconds * 1000 },
      { name: `urp import, whole command (${Math.round(importRate).toLocaleString('en')} rows/s vs ${Math.round(baselineRate).toLocaleString('en')})`, ms: importSeconds * 1000, ratio: importRate / baselineRate, target: 0.25, atLeast: true },
    ]) && allMet;
}

if (wanted('import-memory')) {
  // A million rows through `urp import`, its peak resident memory read from
  // /proc while it runs (Linux). About two and a half minutes.
  const { writeImportFile } = await import('./import-file.mjs');
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const rows = 1_000_000;
  const file = join(work, 'import-1m.csv');
  await writeImportFile(file, rows);
  const db = join(work, 'import-1m.db');
  run(process.execPath, [bin, '--db', db, 'init']);
  for (const code of ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore']) {
    run(process.execPath, [bin, '--db', db, 'category', 'add', code, '--name', code]);
  }
  const start = performance.now();
  const child = spawn(process.execPath, [bin, '--db', db, 'import', file], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let peak = 0;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // The process has just ended.
    }
  }, 100);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`import failed: ${stderr}`);
  const seconds = (performance.now() - start) / 1000;
  const megabytes = peak / 1_048_576;
  allMet =
    printTable(`Import of ${rows.toLocaleString('en')} rows: peak memory (ratio column: MB)`, [
      { name: `urp import, ${Math.round(rows / seconds).toLocaleString('en')} rows/s, peak RSS`, ms: seconds * 1000, ratio: megabytes, target: 300 },
    ]) && allMet;
}

if (wanted('postgres')) {
  // The same figures on PostgreSQL (issue 13), against a local throwaway server: start-up as a
  // ratio to SQLite's, the printout on 1,000,000 reports against 1,000, a year's statistics,
  // and the import's rows per second (an absolute target).
  const { startCluster, clusterUrl, psql } = await import('../helpers/postgres-cluster.mjs');
  const { NOW } = await import('./generate.mjs');
  const { writeImportFile } = await import('./import-file.mjs');
  // Durable, as a real server is (fsync and synchronous commit on), like SQLite's synchronous = FULL.
  const cluster = startCluster({ durable: true });
  try {
    const server = (name) => {
      psql(cluster, 'postgres', `create database ${name}`);
      return clusterUrl(cluster, name);
    };
    const copyInto = (from, name) => {
      const url = server(name);
      const start = performance.now();
      run(process.execPath, [bin, '--db', from, 'db', 'copy', '--to', url]);
      console.log(`  ${name}: copied in ${((performance.now() - start) / 1000).toFixed(1)} s`);
      return url;
    };

    const demo = join(work, 'pg-demo.db');
    run(process.execPath, [bin, '--db', demo, 'init', '--demo']);
    const demoServer = copyInto(demo, 'bench_demo');
    const startup = [
      { name: 'node -e 0', command: process.execPath, args: () => ['-e', '0'] },
      { name: 'urp report list --limit 20 --json, SQLite', command: process.execPath, args: () => [bin, '--db', demo, 'report', 'list', '--limit', '20', '--json'] },
      { name: 'urp report list --limit 20 --json, PostgreSQL', command: process.execPath, args: () => [bin, '--db', demoServer, 'report', 'list', '--limit', '20', '--json'] },
    ];
    const [nodeMs, sqliteMs, serverMs] = measureInterleaved(startup, RUNS);
    allMet =
      printTable('PostgreSQL: start-up (medians; ratio to the same command on SQLite)', [
        { name: startup[0].name, ms: nodeMs },
        { name: startup[1].name, ms: sqliteMs, ratio: sqliteMs / nodeMs, informational: true },
        { name: startup[2].name, ms: serverMs, ratio: serverMs / sqliteMs, target: 1.5 },
      ]) && allMet;

    const small = copyInto(await historyDatabase(1_000), 'bench_1k');
    const large = copyInto(await historyDatabase(1_000_000), 'bench_1m');
    const asOf = NOW.toISOString();
    const history = [
      { name: 'node -e 0', command: process.execPath, args: () => ['-e', '0'] },
      { name: 'urp overdue, 1,000 reports', command: process.execPath, args: () => [bin, '--db', small, 'overdue', '--as-of', asOf] },
      { name: 'urp overdue, 1,000,000 reports', command: process.execPath, args: () => [bin, '--db', large, 'overdue', '--as-of', asOf] },
      { name: 'urp stats, one year of 1,000,000', command: process.execPath, args: () => [bin, '--db', large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--as-of', asOf] },
      { name: 'urp stats --by month, one year of 1,000,000', command: process.execPath, args: () => [bin, '--db', large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--by', 'month', '--as-of', asOf] },
    ];
    const [baseline, overdueSmall, overdueLarge, stats, statsByMonth] = measureInterleaved(history, Math.min(RUNS, 11));
    allMet =
      printTable('PostgreSQL: ten years of history (medians)', [
        { name: history[0].name, ms: baseline },
        { name: history[1].name, ms: overdueSmall },
        { name: `${history[2].name} (ratio to 1,000)`, ms: overdueLarge, ratio: overdueLarge / overdueSmall, target: 1.5 },
        { name: `${history[3].name} (seconds)`, ms: stats, ratio: stats / 1000, target: 1 },
        { name: `${history[4].name} (seconds: ${(statsByMonth / 1000).toFixed(2)})`, ms: statsByMonth, informational: true },
      ]) && allMet;

    const rows = 100_000;
    const file = join(work, 'pg-import.csv');
    await writeImportFile(file, rows);
    const target = server('bench_import');
    run(process.execPath, [bin, '--db', target, 'init']);
    for (const code of ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore']) {
      run(process.execPath, [bin, '--db', target, 'category', 'add', code, '--name', code]);
    }
    const importStart = performance.now();
    const output = run(process.execPath, [bin, '--db', target, 'import', file]);
    const importSeconds = (performance.now() - importStart) / 1000;
    const imported = Number(/imported (\d+)/.exec(output.stderr)?.[1]);
    if (imported !== rows) throw new Error(`import imported ${imported} of ${rows}: ${output.stderr}`);
    const rate = rows / importSeconds;
    allMet =
      printTable(`PostgreSQL: import of ${rows.toLocaleString('en')} CSV rows (ratio column: rows per second)`, [
        { name: 'urp import, whole command', ms: importSeconds * 1000, ratio: rate, target: 20_000, atLeast: true },
      ]) && allMet;
  } finally {
    cluster.stop();
  }
}

rmSync(work, { recursive: true, force: true });
console.log(allMet ? '\nAll targets met.' : '\nSome targets were missed.');
process.exitCode = allMet ? 0 : 1;
