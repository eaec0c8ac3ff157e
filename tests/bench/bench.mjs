#!/usr/bin/env node
// npm run bench: performance targets, measured as ratios to a baseline taken
// in the same run (the machines are shared and noisy, absolute times are not
// comparable from one run to the next).
//
//   node tests/bench/bench.mjs [startup] [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** Bump when generate.mjs changes what it writes, so cached databases are made again. */
const GENERATOR_VERSION = 4;
const bin = join(root, 'bin', 'urp');
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 21;
const only = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--runs');
const wanted = (name) => only.length === 0 || only.includes(name);

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

function printTable(title, rows) {
  console.log(`\n${title}`);
  const header = ['case', 'median ms', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    row.name,
    row.ms.toFixed(1),
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.target === undefined ? '(baseline)' : `<= ${row.target}`,
    row.target === undefined ? '' : row.ratio <= row.target ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.map((line) => line[index].length)));
  const format = (line) => line.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  return rows.every((row) => row.target === undefined || row.ratio <= row.target);
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

if (wanted('history')) {
  // Ten years of history: the printout and the statistics must not grow with it.
  const { generate, NOW } = await import('./generate.mjs');
  const cache = join(root, '.bench');
  mkdirSync(cache, { recursive: true });
  const database = async (count) => {
    // Generated once per generator version and kept (gitignored): 1,000,000 reports take about two minutes.
    const path = join(cache, `history-${GENERATOR_VERSION}-${count}.db`);
    if (!existsSync(path)) {
      console.log(`generating ${count.toLocaleString('en')} reports into ${path} ...`);
      const start = performance.now();
      await generate(path, count);
      console.log(`  done in ${((performance.now() - start) / 1000).toFixed(0)} s`);
    }
    return path;
  };
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
      { name: `${cases[4].name} (seconds)`, ms: statsByMonth, ratio: statsByMonth / 1000, target: 1 },
    ]) && allMet;
}

rmSync(work, { recursive: true, force: true });
console.log(allMet ? '\nAll targets met.' : '\nSome targets were missed.');
process.exitCode = allMet ? 0 : 1;
