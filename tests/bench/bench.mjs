#!/usr/bin/env node
// npm run bench: performance targets, each measured as a ratio to a
// yardstick taken in the same run (the machines are shared and noisy,
// absolute times are not comparable from one run to the next), printed as
// one table at the end.
//
//   node tests/bench/bench.mjs [startup] [history] [full] [import] [import-memory] [postgres] [postgres-import] [--postgres] [--runs N]
//   (no name: all of them but postgres; the ten-year registers are generated once into .bench/)
//   postgres (or --postgres with the others): the same figures on PostgreSQL, against a throwaway
//   local server started for the run (tests/helpers/postgres-cluster.mjs), the registers copied
//   into it with `urp db copy`; a few minutes more.
//
// Yardsticks: `node -e 0` for start-up; the same command on a 1,000-report
// register for the ten-year one; the sqlite3 command-line shell (/usr/bin/sqlite3)
// for export (the same query to CSV) and backup (`.backup` and `pragma
// quick_check` of the copy); the SQLite that better-sqlite3 bundles (the
// engine urp itself runs) for `db check` (`pragma integrity_check` and
// `pragma foreign_key_check`), since the shell's older SQLite does not check
// the search index's tables; prepared inserts through better-sqlite3 for import.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
/** Bump when generate.mjs changes what it writes, so cached databases are made again. */
const GENERATOR_VERSION = 10;
const bin = join(root, 'bin', 'urp');
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 21;
const only = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--runs');
const wanted = (name) => (only.length === 0 && name !== 'postgres') || only.includes(name) || (name === 'postgres' && args.includes('--postgres'));
const SQLITE3 = '/usr/bin/sqlite3';

const work = mkdtempSync(join(tmpdir(), 'urp-bench-'));
const env = { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' };
delete env.URP_DB;
delete env.URP_OPERATOR;

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { env, encoding: 'utf8', maxBuffer: 1 << 28, ...options });
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

/**
 * Runs a command to its end, its peak resident memory read from /proc while
 * it runs (Linux: VmHWM, the high-water mark). Standard output to a file
 * when `stdout` names one.
 */
async function measure(command, commandArgs, { stdout } = {}) {
  const { openSync, closeSync } = await import('node:fs');
  const out = stdout ? openSync(stdout, 'w') : 'ignore';
  const start = performance.now();
  const child = spawn(command, commandArgs, { env, stdio: ['ignore', out, 'pipe'] });
  let peak = 0;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const poll = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // The process has just ended.
    }
  };
  const timer = setInterval(poll, 25);
  const code = await new Promise((done) => child.on('close', done));
  clearInterval(timer);
  if (typeof out === 'number') closeSync(out);
  if (code !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited ${code}: ${stderr}`);
  return { ms: performance.now() - start, mb: peak / 1_048_576, stderr };
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
      times[index].push(timeOnce(each.command, each.args(round)));
    });
  }
  return times.map(median);
}

/** Several runs of a few long commands, interleaved; medians of time and of peak memory. */
async function measureLong(cases, runs) {
  const results = cases.map(() => ({ ms: [], mb: [] }));
  for (let round = 0; round < runs; round++) {
    for (const [index, each] of cases.entries()) {
      each.before?.();
      const { ms, mb } = await measure(each.command, each.args, { stdout: each.stdout });
      each.after?.();
      results[index].ms.push(ms);
      results[index].mb.push(mb);
    }
  }
  return results.map((each) => ({ ms: median(each.ms), mb: median(each.mb) }));
}

// Every figure, as one table at the end: what was measured, against what, the ratio and the target.
const rows = [];
const met = (row) => (row.atLeast ? row.ratio >= row.target : row.ratio <= row.target);
const seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const millis = (ms) => `${ms.toFixed(0)} ms`;
const count = (value) => Math.round(value).toLocaleString('en');

function printAll() {
  const header = ['case', 'measured', 'yardstick', 'ratio', 'target', 'result'];
  const lines = rows.map((row) =>
    row.section
      ? [row.section]
      : [
          row.name,
          row.measured,
          row.yardstick ?? '',
          row.ratio === undefined ? '' : row.ratio.toFixed(2),
          row.target === undefined ? '' : `${row.atLeast ? '>=' : '<='} ${row.target}`,
          row.target === undefined ? '' : met(row) ? 'ok' : 'MISSED',
        ],
  );
  const widths = header.map((cell, index) => Math.max(cell.length, ...lines.filter((line) => line.length > 1).map((line) => line[index].length)));
  const format = (line) => (line.length === 1 ? `\n${line[0]}` : line.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  '));
  console.log(`\n${format(header)}`);
  for (const line of lines) console.log(format(line));
  return rows.every((row) => row.target === undefined || met(row));
}

console.log(`urp bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} — node ${process.version} — ${RUNS} runs per short case`);

if (wanted('startup')) {
  console.log('start-up ...');
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
  rows.push({ section: 'Start-up: medians, ratio to node -e 0 (demo register)' });
  cases.forEach((each, index) => {
    if (index === 0) rows.push({ name: each.name, measured: millis(medians[0]) });
    else rows.push({ name: each.name, measured: millis(medians[index]), yardstick: millis(medians[0]), ratio: medians[index] / medians[0], target: each.target });
  });
}

/** The generated ten-year registers (made once per generator version, kept in .bench/, gitignored). */
async function register(count) {
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
  // Ten years of history: what a clerk runs all day must not grow with it.
  const { NOW, COMMON_WORD, ABSENT_WORD, CITIZEN_NAME } = await import('./generate.mjs');
  const small = await register(1_000);
  const large = await register(1_000_000);
  console.log('ten years of history ...');
  const asOf = NOW.toISOString();
  const urpOn = (db, ...urpArgs) => () => [bin, '--db', db, ...urpArgs, '--as-of', asOf];
  const pairs = [
    { name: 'urp overdue', args: ['overdue'], target: 1.3 },
    { name: 'urp queue', args: ['queue'], target: 1.5 },
    { name: `urp report list --search ${ABSENT_WORD} --limit 20 (absent)`, args: ['report', 'list', '--search', ABSENT_WORD, '--limit', '20'], target: 1.5 },
    { name: `urp report list --search ${COMMON_WORD} --limit 20 (common)`, args: ['report', 'list', '--search', COMMON_WORD, '--limit', '20'], target: 1.5 },
    { name: `urp report list --search "${CITIZEN_NAME}" --limit 20 (a name)`, args: ['report', 'list', '--search', CITIZEN_NAME, '--limit', '20'], target: 1.5 },
    { name: 'urp report list --search 301 --limit 20 (a number)', args: ['report', 'list', '--search', '301', '--limit', '20'], target: 1.5 },
    { name: `urp citizen find ${CITIZEN_NAME}`, args: ['citizen', 'find', ...CITIZEN_NAME.split(' ')], target: 1.5, noAsOf: true },
  ];
  const cases = [{ command: process.execPath, args: () => ['-e', '0'] }];
  for (const pair of pairs) {
    for (const db of [small, large]) {
      cases.push({ command: process.execPath, args: pair.noAsOf ? () => [bin, '--db', db, ...pair.args] : urpOn(db, ...pair.args) });
    }
  }
  cases.push({ command: process.execPath, args: urpOn(large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31') });
  cases.push({ command: process.execPath, args: urpOn(large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--by', 'month') });
  const medians = measureInterleaved(cases, Math.min(RUNS, 11));
  rows.push({ section: 'Ten years of history: medians on 1,000,000 reports, ratio to the same on 1,000' });
  rows.push({ name: 'node -e 0', measured: millis(medians[0]) });
  pairs.forEach((pair, index) => {
    const [onSmall, onLarge] = [medians[1 + 2 * index], medians[2 + 2 * index]];
    rows.push({ name: pair.name, measured: millis(onLarge), yardstick: millis(onSmall), ratio: onLarge / onSmall, target: pair.target });
  });
  const [stats, statsByMonth] = medians.slice(-2);
  // An absolute target: at most one second of wall time (the ratio column shows seconds).
  rows.push({ name: 'urp stats, one year of 1,000,000 (seconds)', measured: millis(stats), ratio: stats / 1000, target: 1 });
  rows.push({ name: 'urp stats --by month, one year of 1,000,000 (no target)', measured: millis(statsByMonth) });
}

/** The query urp export runs, for the sqlite3 shell: the same rows and columns, in the same order. */
const EXPORT_QUERY = `select r.type, r.channel, r.received_at, ci.first_name, ci.last_name, ci.tax_code, ci.email, ci.phone, ci.address,
  r.subject, r.description, c.code, a.code, r.location, r.external_ref, r.number, r.status, r.registered_at, r.assigned_at,
  r.acknowledged_at, r.suspended_at, r.answered_at,
  (select text from replies where replies.report_id = r.id order by replies.id desc limit 1),
  (select via from replies where replies.report_id = r.id order by replies.id desc limit 1),
  r.outcome, r.closed_at, r.rejected_at, r.assign_due_at, r.reply_due_at, r.suspended_days, r.reopen_count, r.citizen_id,
  r.status = 'registered' and r.assign_due_at < '2026-11-26T07:00:00.000Z',
  r.status in ('registered', 'assigned', 'acknowledged') and r.reply_due_at < '2026-11-26T07:00:00.000Z'
from reports r join citizens ci on ci.id = r.citizen_id left join areas a on a.id = r.area_id left join categories c on c.id = r.category_id
order by r.number`;

if (wanted('full')) {
  // Whole-register work on 1,000,000 reports, against SQLite's own tools on the same file.
  const { NOW } = await import('./generate.mjs');
  const large = await register(1_000_000);
  const reports = 1_000_000;
  console.log('whole-register work on 1,000,000 reports ...');
  const asOf = NOW.toISOString();
  const runs = Math.min(RUNS, 3);
  const csv = join(work, 'export.csv');
  const copy = join(work, 'backup.db');
  const removeCopy = () => rmSync(copy, { force: true });
  const sqliteChecks = join(work, 'checks.cjs');
  (await import('node:fs')).writeFileSync(
    sqliteChecks,
    `const db = new (require(${JSON.stringify(join(root, 'node_modules', 'better-sqlite3'))}))(process.argv[2], { readonly: true });
     db.pragma('integrity_check'); db.pragma('foreign_key_check');`,
  );
  const cases = [
    { command: SQLITE3, args: ['-csv', '-header', large, EXPORT_QUERY], stdout: csv },
    { command: process.execPath, args: [bin, '--db', large, 'export', '--format', 'csv', '--as-of', asOf, '--output', csv] },
    { command: process.execPath, args: [bin, '--db', large, 'export', '--format', 'jsonl', '--as-of', asOf, '--output', csv] },
    { command: process.execPath, args: [bin, '--db', large, 'export', '--format', 'json', '--as-of', asOf, '--output', csv] },
    { command: process.execPath, args: [bin, '--db', large, 'export', '--format', 'open311', '--as-of', asOf, '--output', csv] },
    { command: process.execPath, args: [sqliteChecks, large] },
    { command: process.execPath, args: [bin, '--db', large, 'db', 'check'] },
    { command: 'sh', args: ['-c', `${SQLITE3} "$0" ".backup '$1'" && ${SQLITE3} "$1" "pragma quick_check" > /dev/null`, large, copy], before: removeCopy, after: removeCopy },
    { command: process.execPath, args: [bin, '--db', large, 'db', 'backup', copy], before: removeCopy, after: removeCopy },
  ];
  const [shellExport, csvExport, jsonlExport, jsonExport, open311Export, engineChecks, check, shellBackup, backup] = await measureLong(cases, runs);
  rmSync(csv, { force: true });
  const rate = (ms) => reports / (ms / 1000);
  rows.push({ section: `Whole register, 1,000,000 reports: medians of ${runs} runs (sqlite3 shell ${run(SQLITE3, ['--version']).stdout.split(' ')[0]}, bundled SQLite for the checks)` });
  rows.push({ name: 'urp export --format csv, rows/s, ratio to sqlite3 -csv', measured: `${count(rate(csvExport.ms))}/s`, yardstick: `${count(rate(shellExport.ms))}/s`, ratio: rate(csvExport.ms) / rate(shellExport.ms), target: 0.6, atLeast: true });
  for (const [name, result] of [['csv', csvExport], ['jsonl', jsonlExport], ['json', jsonExport], ['open311', open311Export]]) {
    const ratioRow = name === 'csv' ? {} : { yardstick: `${count(rate(shellExport.ms))}/s`, ratio: rate(result.ms) / rate(shellExport.ms) };
    if (name !== 'csv') rows.push({ name: `urp export --format ${name}, rows/s (no target)`, measured: `${count(rate(result.ms))}/s`, ...ratioRow });
    rows.push({ name: `urp export --format ${name}, peak memory (MB)`, measured: `${result.mb.toFixed(0)} MB`, yardstick: `${shellExport.mb.toFixed(0)} MB`, ratio: result.mb, target: 100 });
  }
  rows.push({ name: 'urp db check, ratio to integrity_check + foreign_key_check', measured: seconds(check.ms), yardstick: seconds(engineChecks.ms), ratio: check.ms / engineChecks.ms, target: 1.5 });
  rows.push({ name: 'urp db check, peak memory (MB)', measured: `${check.mb.toFixed(0)} MB`, yardstick: `${engineChecks.mb.toFixed(0)} MB`, ratio: check.mb, target: 150 });
  rows.push({ name: 'urp db backup, ratio to sqlite3 .backup + quick_check', measured: seconds(backup.ms), yardstick: seconds(shellBackup.ms), ratio: backup.ms / shellBackup.ms, target: 1.5 });
  rows.push({ name: 'urp db backup, peak memory (MB, no target)', measured: `${backup.mb.toFixed(0)} MB`, yardstick: `${shellBackup.mb.toFixed(0)} MB` });
}

/** A fresh register with the categories the import file names. */
function freshRegister(name) {
  const db = join(work, name);
  rmSync(db, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(db + suffix, { force: true });
  run(process.execPath, [bin, '--db', db, 'init']);
  for (const code of ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore']) {
    run(process.execPath, [bin, '--db', db, 'category', 'add', code, '--name', code]);
  }
  return db;
}

if (wanted('import')) {
  // The import against two yardsticks measured in the same run, on the same rows:
  // 1. a prepared insert into the reports table of a fresh register (the real
  //    schema: its indexes and triggers), one statement per row, then the
  //    rows indexed for search as urp's writer indexes them, in one
  //    transaction, with nothing else (no parsing, validation, citizens,
  //    numbering or events);
  // 2. the same prepared insert of the same values into a plain table of the
  //    same width (the reports table's columns, no constraints) with two
  //    indexes (number, received_at): what SQLite itself does with such rows.
  const { writeImportFile, IMPORT_HEADER } = await import('./import-file.mjs');
  const Database = (await import('better-sqlite3')).default;
  const { default: Papa } = await import('papaparse');
  const { Kysely, SqliteDialect } = await import('kysely');
  const { registerFunctions } = await import(join(root, 'dist/src/storage/database.js'));
  const { indexNewReports } = await import(join(root, 'dist/src/storage/text-search.js'));
  const count100k = 100_000;
  const file = join(work, 'import.csv');
  await writeImportFile(file, count100k);
  console.log('import of 100,000 rows ...');
  const parsed = Papa.parse(readFileSync(file, 'utf8'), { delimiter: ';', skipEmptyLines: true }).data.slice(1);
  const column = (name) => IMPORT_HEADER.indexOf(name);
  const isoOf = (text) => {
    const [date, time] = text.split(' ');
    const [day, month, year] = date.split('/');
    return new Date(`${year}-${month}-${day}T${time}:00Z`).toISOString();
  };
  const INSERT = `(number, year, sequence, type, channel, status, subject, description, location,
      external_ref, citizen_id, received_at, registered_at, assign_counted_from, assign_due_at, first_assign_due_at,
      reply_counted_from, reply_due_at, updated_at) values (?, 2026, ?, 'problem', 'phone', 'registered', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const insertAll = (insert) =>
    parsed.forEach((row, index) => {
      const when = isoOf(row[column('data')]);
      insert.run(`2026/${String(index + 1).padStart(6, '0')}`, index + 1, row[column('oggetto')], row[column('descrizione')], row[column('luogo')], row[column('riferimento')], when, when, when, when, when, when, when, when);
    });

  // The reports of a fresh register, one prepared statement a row, then the search index in one
  // statement, in one transaction. With events: also each report's registration event (a register
  // holds one for every report: db check requires it), its hash a fixed text, not computed; for
  // scale, no target.
  const intoReports = async ({ events = false } = {}) => {
    const connection = new Database(freshRegister(events ? 'baseline-events.db' : 'baseline.db'));
    registerFunctions(connection);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    connection.prepare("insert into citizens (first_name, last_name, search_name, created_at, updated_at) values ('a', 'b', 'b a', 'x', 'x')").run();
    const db = new Kysely({ dialect: new SqliteDialect({ database: connection }) });
    const insert = connection.prepare(`insert into reports ${INSERT}`);
    const event = connection.prepare(`insert into report_events (report_id, kind, from_status, to_status, operator, occurred_at, recorded_at, source, hash)
      values (?, 'registered', null, 'registered', 'bench', ?, ?, 'import', ?)`);
    const hash = 'a'.repeat(64);
    const start = performance.now();
    connection.exec('begin immediate');
    insertAll(insert);
    if (events) {
      parsed.forEach((row, index) => {
        const when = isoOf(row[column('data')]);
        event.run(index + 1, when, when, hash);
      });
    }
    await indexNewReports(db, 1, count100k);
    connection.exec('commit');
    const ms = performance.now() - start;
    await db.destroy();
    return ms;
  };
  const intoPlainTable = () => {
    const path = join(work, 'plain.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const connection = new Database(path);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    // The reports table's columns, nothing else.
    const columns = new Database(join(work, 'baseline.db'), { readonly: true });
    const names = columns.prepare('select name from pragma_table_info(?)').pluck().all('reports');
    columns.close();
    connection.exec(`create table plain (${names.map((name) => `"${name}"`).join(', ')});
      create index plain_number on plain (number); create index plain_received on plain (received_at)`);
    const insert = connection.prepare(`insert into plain ${INSERT}`);
    const start = performance.now();
    connection.transaction(() => insertAll(insert))();
    const ms = performance.now() - start;
    connection.close();
    return ms;
  };
  const urpImport = async () => {
    const db = freshRegister('import.db');
    const { ms, stderr } = await measure(process.execPath, [bin, '--db', db, 'import', file]);
    const imported = Number(/imported (\d+)/.exec(stderr)?.[1]);
    if (imported !== count100k) throw new Error(`import imported ${imported} of ${count100k}: ${stderr}`);
    return ms;
  };
  const runs = Math.min(RUNS, 3);
  const times = { reports: [], events: [], plain: [], urp: [] };
  for (let round = 0; round < runs; round++) {
    times.reports.push(await intoReports());
    times.events.push(await intoReports({ events: true }));
    times.plain.push(intoPlainTable());
    times.urp.push(await urpImport());
  }
  const rate = (ms) => count100k / (ms / 1000);
  const [reportsMs, eventsMs, plainMs, urpMs] = [median(times.reports), median(times.events), median(times.plain), median(times.urp)];
  rows.push({ section: `Import of 100,000 CSV rows: rows per second, medians of ${runs} runs (the whole urp import command)` });
  rows.push({ name: 'urp import, ratio to a prepared insert into reports (real schema)', measured: `${count(rate(urpMs))}/s`, yardstick: `${count(rate(reportsMs))}/s`, ratio: rate(urpMs) / rate(reportsMs), target: 0.6, atLeast: true });
  rows.push({ name: 'for scale: ratio to the same insert with each report\'s registration event', measured: `${count(rate(urpMs))}/s`, yardstick: `${count(rate(eventsMs))}/s`, ratio: rate(urpMs) / rate(eventsMs) });
  rows.push({ name: 'urp import, ratio to a prepared insert into a plain table of its width, 2 indexes', measured: `${count(rate(urpMs))}/s`, yardstick: `${count(rate(plainMs))}/s`, ratio: rate(urpMs) / rate(plainMs), target: 0.25, atLeast: true });
}

if (wanted('import-memory')) {
  // A million rows through `urp import`, its peak resident memory read while it runs.
  const { writeImportFile } = await import('./import-file.mjs');
  const lines = 1_000_000;
  const file = join(work, 'import-1m.csv');
  await writeImportFile(file, lines);
  console.log('import of 1,000,000 rows ...');
  const db = freshRegister('import-1m.db');
  const { ms, mb } = await measure(process.execPath, [bin, '--db', db, 'import', file]);
  rows.push({ section: 'Import of 1,000,000 CSV rows: peak memory' });
  rows.push({ name: `urp import, peak resident memory (MB; ${count(lines / (ms / 1000))} rows/s)`, measured: `${mb.toFixed(0)} MB`, ratio: mb, target: 300 });
  rmSync(file, { force: true });
}

const postgresImportOnly = only.includes('postgres-import') && !only.includes('postgres');
if (wanted('postgres') || postgresImportOnly) {
  // The same figures on PostgreSQL (issue 13), against a local throwaway server: start-up as a
  // ratio to SQLite's, the printout and search on 1,000,000 reports against 1,000, a year's
  // statistics, and the import's rows per second (an absolute target).
  const { startCluster, clusterUrl, psql } = await import('../helpers/postgres-cluster.mjs');
  const { NOW, COMMON_WORD, ABSENT_WORD, CITIZEN_NAME } = await import('./generate.mjs');
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

    if (!postgresImportOnly) {
      const demo = join(work, 'pg-demo.db');
      run(process.execPath, [bin, '--db', demo, 'init', '--demo']);
      const demoServer = copyInto(demo, 'bench_demo');
      const startup = [
        { command: process.execPath, args: () => ['-e', '0'] },
        { command: process.execPath, args: () => [bin, '--db', demo, 'report', 'list', '--limit', '20', '--json'] },
        { command: process.execPath, args: () => [bin, '--db', demoServer, 'report', 'list', '--limit', '20', '--json'] },
      ];
      const [nodeMs, sqliteMs, serverMs] = measureInterleaved(startup, RUNS);
      rows.push({ section: 'PostgreSQL: start-up, medians, ratio to the same command on SQLite (demo register)' });
      rows.push({ name: 'node -e 0', measured: millis(nodeMs) });
      rows.push({ name: 'urp report list --limit 20 --json, PostgreSQL', measured: millis(serverMs), yardstick: millis(sqliteMs), ratio: serverMs / sqliteMs, target: 1.5 });

      const small = copyInto(await register(1_000), 'bench_1k');
      const large = copyInto(await register(1_000_000), 'bench_1m');
      const asOf = NOW.toISOString();
      const pairs = [
        { name: 'urp overdue', args: ['overdue', '--as-of', asOf], target: 1.5 },
        { name: 'urp queue', args: ['queue', '--as-of', asOf], target: 1.5 },
        { name: `urp report list --search ${ABSENT_WORD} --limit 20 (absent)`, args: ['report', 'list', '--search', ABSENT_WORD, '--limit', '20', '--as-of', asOf], target: 1.5 },
        { name: `urp report list --search ${COMMON_WORD} --limit 20 (common)`, args: ['report', 'list', '--search', COMMON_WORD, '--limit', '20', '--as-of', asOf], target: 1.5 },
        { name: `urp report list --search "${CITIZEN_NAME}" --limit 20 (a name)`, args: ['report', 'list', '--search', CITIZEN_NAME, '--limit', '20', '--as-of', asOf], target: 1.5 },
        { name: `urp citizen find ${CITIZEN_NAME}`, args: ['citizen', 'find', ...CITIZEN_NAME.split(' ')], target: 1.5 },
      ];
      const cases = [{ command: process.execPath, args: () => ['-e', '0'] }];
      for (const pair of pairs) for (const db of [small, large]) cases.push({ command: process.execPath, args: () => [bin, '--db', db, ...pair.args] });
      cases.push({ command: process.execPath, args: () => [bin, '--db', large, 'stats', '--from', '2025-01-01', '--to', '2025-12-31', '--as-of', asOf] });
      const medians = measureInterleaved(cases, Math.min(RUNS, 11));
      rows.push({ section: 'PostgreSQL: ten years of history, medians on 1,000,000 reports, ratio to the same on 1,000' });
      pairs.forEach((pair, index) => {
        const [onSmall, onLarge] = [medians[1 + 2 * index], medians[2 + 2 * index]];
        rows.push({ name: pair.name, measured: millis(onLarge), yardstick: millis(onSmall), ratio: onLarge / onSmall, target: pair.target });
      });
      const stats = medians.at(-1);
      rows.push({ name: 'urp stats, one year of 1,000,000 (seconds)', measured: millis(stats), ratio: stats / 1000, target: 1 });
    }

    const lines = 100_000;
    const file = join(work, 'pg-import.csv');
    await writeImportFile(file, lines);
    const target = server('bench_import');
    run(process.execPath, [bin, '--db', target, 'init']);
    for (const code of ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore']) {
      run(process.execPath, [bin, '--db', target, 'category', 'add', code, '--name', code]);
    }
    const { ms, stderr } = await measure(process.execPath, [bin, '--db', target, 'import', file]);
    const imported = Number(/imported (\d+)/.exec(stderr)?.[1]);
    if (imported !== lines) throw new Error(`import imported ${imported} of ${lines}: ${stderr}`);
    const rate = lines / (ms / 1000);
    rows.push({ section: 'PostgreSQL: import of 100,000 CSV rows (an absolute target: rows per second)' });
    rows.push({ name: 'urp import, whole command, rows/s', measured: `${count(rate)}/s`, ratio: rate, target: 20_000, atLeast: true });
    // For scale, no target: the server's own rate for the same 100,000 reports, copied inside it
    // (insert ... select, given other ids, numbers and references) into the real reports table,
    // its indexes and foreign keys, then rolled back. No client, parsing, events or citizens.
    const timed = spawnSync(
      join(cluster.binDir, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', cluster.socketDir, '-p', String(cluster.port), '-d', 'bench_import',
        '-c', 'begin',
        '-c', "create temp table copied as select * from reports; update copied set id = id + 100000000, number = 'x' || number, external_ref = 'x' || external_ref",
        '-c', 'select extract(epoch from clock_timestamp())',
        '-c', 'insert into reports select * from copied',
        '-c', 'select extract(epoch from clock_timestamp())',
        '-c', 'rollback'],
      { encoding: 'utf8' },
    );
    if (timed.status !== 0) throw new Error(`psql: ${timed.stderr}`);
    const [before, after] = timed.stdout.trim().split('\n').map(Number);
    const serverRate = lines / (after - before);
    rows.push({ name: 'for scale: the server copying the same reports into its reports table, rows/s', measured: `${count(serverRate)}/s` });
  } finally {
    cluster.stop();
  }
}

rmSync(work, { recursive: true, force: true });
const allMet = printAll();
console.log(allMet ? '\nAll targets met.' : '\nSome targets were missed.');
process.exitCode = allMet ? 0 : 1;
