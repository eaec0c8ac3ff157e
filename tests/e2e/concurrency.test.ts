import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunResult, query, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * Issue 6, concurrency: on one database, for at least ten seconds, four
 * processes write (two register with `report new`, two import small CSV
 * files) while two print the deadline printout and the statistics. Nobody
 * ever sees "database is locked"; numbers are unique and gap-free; every
 * report has its `registered` event.
 */

const RUN_MS = 10_000;
const ROWS_PER_FILE = 8;
const CATEGORIES = ['strade', 'illuminazione', 'rifiuti', 'verde', 'viabilita', 'rumore'];
const HEADER = ['tipo', 'canale', 'data', 'nome', 'cognome', 'email', 'telefono', 'oggetto', 'descrizione', 'categoria', 'luogo', 'riferimento'];

const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
beforeAll(async () => {
  expect((await urp(['area', 'add', 'manutenzione', '--name', 'Manutenzione'])).code).toBe(0);
  for (const code of CATEGORIES) expect((await urp(['category', 'add', code, '--name', code, '--area', 'manutenzione'])).code).toBe(0);
});
afterAll(() => workspace.cleanup());

interface Run extends RunResult {
  readonly args: readonly string[];
}

/** A small CSV as an office exports it (Italian headers, semicolons), with references unique to this file. */
function importFile(importer: number, round: number): { path: string; refs: string[] } {
  const refs: string[] = [];
  const lines = [HEADER.join(';')];
  for (let row = 0; row < ROWS_PER_FILE; row++) {
    const ref = `CONC-${importer}-${round}-${row}`;
    refs.push(ref);
    const day = String(1 + ((round + row) % 20)).padStart(2, '0');
    lines.push(
      [
        ['reclamo', 'segnalazione', 'suggerimento'][row % 3], ['telefono', 'e-mail', 'sportello', 'web'][row % 4], `${day}/11/2026 09:${String(row).padStart(2, '0')}`,
        'Giulia', 'Russo', `giulia.${importer}.${round}.${row % 3}@example.it`, `3331${String(importer * 100_000 + round * 10 + (row % 3)).padStart(6, '0')}`,
        'Lampione spento', row % 4 === 0 ? '"Segnalo il problema;\nsi ripete ogni sera."' : 'Chiedo un intervento.', CATEGORIES[row % CATEGORIES.length],
        `Via Roma ${row + 1}`, ref,
      ].join(';'),
    );
  }
  const path = join(workspace.dir, `import-${importer}-${round}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, refs };
}

it('4 writers (report new, import) and 2 readers (overdue, stats) on one database for 10 s: no lock errors, gap-free numbers, every event', async () => {
  const runs: Run[] = [];
  const run = async (args: string[], operator: string) => {
    const result = await urp(args, { env: { URP_OPERATOR: operator } });
    runs.push({ ...result, args });
    return result;
  };
  const started = Date.now();
  const running = () => Date.now() - started < RUN_MS;

  const registered: string[] = [];
  const registrar = async (clerk: number) => {
    for (let index = 0; running(); index++) {
      // Half the time a new citizen (written in the same transaction), half an existing one.
      const citizen =
        index % 2 === 0 || registered.length === 0
          ? ['--first-name', 'Mario', '--last-name', 'Rossi', '--email', `mario.${clerk}.${index}@example.it`]
          : ['--citizen', '1'];
      const result = await run(
        ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', `Buca ${clerk}-${index}`, '--category', CATEGORIES[index % CATEGORIES.length]!, ...citizen],
        `clerk-${clerk}`,
      );
      if (result.code === 0) registered.push(result.stdout.trim());
    }
  };
  const importedRefs: string[] = [];
  let imports = 0;
  const importer = async (which: number) => {
    for (let round = 0; running(); round++) {
      const file = importFile(which, round);
      const result = await run(['import', file.path], `import-${which}`);
      if (result.code === 0) {
        importedRefs.push(...file.refs);
        imports++;
      }
    }
  };
  let prints = 0;
  const reader = async (which: number) => {
    const commands = [
      ['overdue'],
      ['stats'],
      ['overdue', '--by-area', '--json'],
      ['stats', '--by', 'category', '--json'],
      ['overdue', '--soon', '3'],
      ['stats', '--by', 'channel', '--csv'],
    ];
    for (let index = which; running(); index++) {
      const args = commands[index % commands.length]!;
      const result = await run(args, `cron-${which}`);
      expect(result.stdout.length, args.join(' ')).toBeGreaterThan(0);
      if (result.code === 0 && args.includes('--json')) JSON.parse(result.stdout);
      prints++;
    }
  };

  await Promise.all([registrar(1), registrar(2), importer(1), importer(2), reader(0), reader(1)]);
  const elapsed = Date.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(RUN_MS);

  // Nobody saw a lock, nobody failed.
  for (const each of runs) {
    const printed = `urp ${each.args.join(' ')} (exit ${each.code})\n${each.stderr}`;
    expect(each.stdout + each.stderr, printed).not.toMatch(/database is locked|SQLITE_BUSY|busy/i);
    expect(each.code, printed).toBe(0);
  }
  // They really ran side by side, several times each.
  expect(registered.length).toBeGreaterThanOrEqual(6);
  expect(imports).toBeGreaterThanOrEqual(4);
  expect(prints).toBeGreaterThanOrEqual(6);

  // Every number unique and gap-free, per year: 1..N, and the sequence at N.
  const reports = query<{ number: string; year: number; sequence: number }>(workspace.db, 'select number, year, sequence from reports order by year, sequence');
  expect(reports).toHaveLength(registered.length + importedRefs.length);
  const byYear = new Map<number, number[]>();
  for (const report of reports) {
    expect(report.number).toBe(`${report.year}/${String(report.sequence).padStart(6, '0')}`);
    byYear.set(report.year, [...(byYear.get(report.year) ?? []), report.sequence]);
  }
  for (const [year, sequences] of byYear) {
    expect(sequences, `year ${year}`).toEqual(Array.from({ length: sequences.length }, (_, index) => index + 1));
    expect(query(workspace.db, 'select last_value from report_sequences where year = ?', year)).toEqual([{ last_value: sequences.length }]);
  }
  expect(new Set(registered).size).toBe(registered.length);

  // Every report has exactly one "registered" event: from the command line for the numbers printed, from the import for the rows imported.
  const events = query<{ number: string; external_ref: string | null; source: string; events: number }>(
    workspace.db,
    `select r.number, r.external_ref, min(e.source) as source, count(e.id) as events
     from reports r left join report_events e on e.report_id = r.id and e.kind = 'registered' group by r.id`,
  );
  expect(events.filter((row) => row.events !== 1)).toEqual([]);
  const cli = events.filter((row) => row.source === 'cli').map((row) => row.number);
  expect([...cli].sort()).toEqual([...registered].sort());
  const imported = events.filter((row) => row.source === 'import');
  expect(imported.map((row) => row.external_ref).sort()).toEqual([...importedRefs].sort());
  expect(query(workspace.db, `select count(*) as n from report_events where kind = 'registered'`)).toEqual([{ n: reports.length }]);

  const check = await urp(['db', 'check']);
  expect(check.stderr).toContain(`${reports.length} reports checked`);
  expect(check.code).toBe(0);
}, 180_000);
