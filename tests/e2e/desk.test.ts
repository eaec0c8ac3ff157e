import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URP_BIN, YEAR, query, runUrp, tempWorkspace, urpWith } from '../helpers/cli.js';

/**
 * A desk that speaks Italian (issue 16), end to end through bin/urp: the
 * register's language for every process (cron's included), help that
 * teaches (topics, completion, the manual page), dates and words as clerks
 * type them, and the spreadsheets read back with another library (SheetJS)
 * to check their types and values.
 */

let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;
const CITIZEN = ['--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna.bianchi@example.it', '--phone', '0331 467816'];

beforeAll(() => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
});
afterAll(() => workspace.cleanup());

async function ok(args: string[], env: Record<string, string | undefined> = {}) {
  const result = await urp(args, { env });
  expect(result.code, `urp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

/** "YYYY-MM-DD HH:mm" of an instant in Rome. */
const rome = (instant: Date | string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));

describe('the language of the register (config set language)', () => {
  it('is every process\'s default, cron\'s included, below --lang and URP_LANG, above LANG', async () => {
    await ok(['config', 'set', 'language', 'it']);
    try {
    // Cron: no LANG at all.
    const cron = await urp(['report', 'show', `${YEAR}/999`], { env: { LANG: undefined } });
    expect(cron.code).toBe(2);
    expect(cron.stderr).toBe(`urp: errore: numero: nessuna pratica ${YEAR}/000999\n`);
    // An English account on an Italian register: the register's language.
    expect((await urp(['report', 'show', `${YEAR}/999`], { env: { LANG: 'en_GB.UTF-8' } })).stderr).toContain('nessuna pratica');
    // Asked for by name: the person's choice wins.
    expect((await urp(['--lang', 'en', 'report', 'show', `${YEAR}/999`])).stderr).toBe(`urp: error: number: no report ${YEAR}/000999\n`);
    expect((await urp(['report', 'show', `${YEAR}/999`], { env: { URP_LANG: 'en' } })).stderr).toContain('no report');
    // commander's help and errors, which come before the register is opened, too.
    expect((await urp(['report', 'new', '--help'], { env: { LANG: undefined } })).stdout).toMatch(/^Uso: urp report new \[opzioni\]/);
    expect((await urp(['report', 'lsit'])).stderr).toBe("urp: errore: comando sconosciuto 'lsit' (forse list?)\n(vedere: urp report --help)\n");
    } finally {
      // Cleared: the account's locale again.
      await ok(['config', 'set', 'language', 'none']);
    }
    expect((await urp(['report', 'show', `${YEAR}/999`])).stderr).toContain('no report');
    expect((await urp(['report', 'show', `${YEAR}/999`], { env: { LANG: 'it_IT.UTF-8' } })).stderr).toContain('nessuna pratica');
  });

  it('names an argument in an error as the help names it, in the reader\'s language; flags as typed', async () => {
    const said = async (language: string, args: string[]) => (await urp(['--lang', language, ...args])).stderr.trim();
    expect(await said('it', ['report', 'show', `${YEAR}/999`])).toBe(`urp: errore: numero: nessuna pratica ${YEAR}/000999`);
    expect(await said('it', ['config', 'set', 'chiave-sbagliata', '1'])).toMatch(/^urp: errore: chiave: /);
    expect(await said('it', ['area', 'add', 'Codice Sbagliato', '--name', 'x'])).toMatch(/^urp: errore: codice: /);
    expect(await said('it', ['report', 'new', '--type', 'problem', '--channel', 'phone', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it'])).toMatch(/^urp: errore: --subject: /);
    expect(await said('en', ['report', 'show', `${YEAR}/999`])).toBe(`urp: error: number: no report ${YEAR}/000999`);
    expect(await said('en', ['config', 'set', 'wrong-key', '1'])).toMatch(/^urp: error: key: /);
    // The Italian help names them so.
    expect((await urp(['--lang', 'it', 'report', 'show', '--help'])).stdout).toContain('<numero>');
    expect((await urp(['--lang', 'it', 'config', 'set', '--help'])).stdout).toContain('<chiave>');
  });

  it('refuses a language urp does not speak', async () => {
    const refused = await urp(['config', 'set', 'language', 'fr']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('value: "fr" is not a language urp speaks');
  });
});

describe('help that teaches', () => {
  it('every command\'s --help has examples in the user\'s language and names the date forms', async () => {
    const english = (await ok(['report', 'new', '--help'])).stdout;
    expect(english).toContain('Examples:');
    expect(english).toContain('urp report new --type problem --channel phone');
    expect(english).toMatch(/Dates:\n {2}27\/11\/2026, 27\/11\/26, 27\/11 \(this year\), 2026-11-27, today, yesterday/);
    const italian = (await ok(['--lang', 'it', 'report', 'new', '--help'])).stdout;
    expect(italian).toContain('Esempi:');
    expect(italian).toContain('--type reclamo --channel posta --received-at ieri');
    expect(italian).toContain('Opzioni:');
    expect(italian).toContain('--received-at <data-ora>');
    expect(italian).not.toMatch(/Usage|Options:|display help/);
  });

  it('urp help <topic> and urp guida <argomento> explain in prose; the statuses from the state machine itself', async () => {
    const topics = (await ok(['help'])).stdout;
    expect(topics).toMatch(/deadlines +how the deadlines are counted/);
    const deadlines = (await ok(['--lang', 'it', 'guida', 'scadenze'])).stdout;
    expect(deadlines).toMatch(/^SCADENZE\n/);
    expect(deadlines).toContain('art. 2963 c.c.');
    const statuses = (await ok(['help', 'statuses'])).stdout;
    expect(statuses).toContain('From acknowledged (acknowledged):');
    expect(statuses).toMatch(/urp report suspend → suspended \(with a reason\) {2}\(administrator, area office\)/);
    expect(statuses).toMatch(/From closed \(closed\):\n {2}urp report reopen → acknowledged/);
    const columns = (await ok(['help', 'import'])).stdout;
    expect(columns).toMatch(/received_at \/ data +receivedAt {2}\(required\)/);
    expect((await ok(['help', 'exit-codes'])).stdout).toContain('130  cancelled');
    expect((await ok(['help', 'privacy'])).stdout).toContain('urp citizen erase');
    // A command's name: that command's help.
    expect((await ok(['help', 'report', 'new'])).stdout).toMatch(/^Usage: urp report new/);
    const unknown = await urp(['help', 'weather']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no help topic "weather"');
  });

  it('urp completion bash completes commands, subcommands, options and known values', async () => {
    const script = (await ok(['completion', 'bash'])).stdout;
    const complete = (words: string[]) => {
      const line = words.map((word) => `'${word}'`).join(' ');
      const run = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _urp; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.trim().split('\n');
    };
    expect(complete(['urp', 'rep'])).toEqual(['report', 'reply-template']);
    expect(complete(['urp', 'report', 'ne'])).toEqual(['new']);
    expect(complete(['urp', '--db', 'x.db', 'report', 'list', '--sta'])).toEqual(['--status']);
    expect(complete(['urp', 'report', 'new', '--channel', 'p'])).toEqual(['phone', 'paper', 'pec']);
    expect(complete(['urp', 'stats', '--by', 'm'])).toEqual(['month', 'mese']);
    const zsh = (await ok(['completion', 'zsh'])).stdout;
    expect(zsh).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect((await urp(['completion', 'fish'])).code).toBe(2);
  });

  it('the manual page is written at build time from the same definitions, in English and Italian', () => {
    const root = resolve(import.meta.dirname, '../..');
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(packageJson.man).toBe('./dist/urp.1');
    for (const [file, heading, example] of [['urp.1', '.SH GLOBAL OPTIONS', 'urp report new \\-\\-type problem'], ['urp.it.1', '.SH OPZIONI GENERALI', 'urp report new \\-\\-type segnalazione']] as const) {
      const page = readFileSync(join(root, 'dist', file), 'utf8');
      expect(page).toMatch(/^\.TH URP 1 /);
      expect(page).toContain(heading);
      expect(page).toContain('.SS "urp report new"');
      expect(page).toContain(example);
      // The topics in full.
      expect(page).toMatch(/\.SH (DEADLINES|SCADENZE)/);
    }
    // man reads it, where man is installed (this machine's image has it).
    const man = spawnSync('man', ['-l', join(root, 'dist', 'urp.1')], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', MANWIDTH: '80' } });
    expect(man.error, 'man (apt-get install man-db) is needed to read the page back').toBeUndefined();
    expect(man.stdout).toContain('urp report new');
  });
});

describe('dates and words as clerks type them', () => {
  it('report new takes ieri, 01/01, 27/11/25 and the channels posta, mail, telefonata', async () => {
    const number = (await ok(['report', 'new', '--type', 'segnalazione', '--channel', 'posta', '--received-at', 'ieri 09:30', '--subject', 'Lettera di ieri', ...CITIZEN])).stdout.trim();
    const [report] = query<{ channel: string; received_at: string }>(workspace.db, 'select channel, received_at from reports where number = ?', number);
    expect(report!.channel).toBe('paper');
    const yesterday = rome(new Date(Date.now() - 86_400_000)).slice(0, 10);
    expect(rome(report!.received_at)).toBe(`${yesterday} 09:30`);

    const january = (await ok(['report', 'new', '--type', 'reclamo', '--channel', 'mail', '--received-at', '01/01', '--subject', 'Di gennaio', '--citizen', '1'])).stdout.trim();
    const [first] = query<{ channel: string; received_at: string }>(workspace.db, 'select channel, received_at from reports where number = ?', january);
    expect(first).toEqual({ channel: 'email', received_at: new Date(`${YEAR}-01-01T00:00:00+01:00`).toISOString() });

    const old = (await ok(['report', 'new', '--type', 'problem', '--channel', 'telefonata', '--received-at', '27/11/25 10:00', '--subject', 'Vecchia', '--citizen', '1'])).stdout.trim();
    expect(query<{ channel: string; received_at: string }>(workspace.db, 'select channel, received_at from reports where number = ?', old)[0]).toEqual({ channel: 'phone', received_at: '2025-11-27T09:00:00.000Z' });
  });

  it('report list and stats take them too, and --by its Italian names', async () => {
    const since = JSON.parse((await ok(['report', 'list', '--from', '01/01', '--to', 'oggi', '--json'])).stdout);
    expect(since.map((report: { subject: string }) => report.subject).sort()).toEqual(['Di gennaio', 'Lettera di ieri']);
    const byMonth = JSON.parse((await ok(['stats', '--by', 'mese', '--from', '01/01/25', '--json'])).stdout);
    expect(byMonth.by).toBe('month');
    expect(byMonth.groups[0].group).toBe('2025-01');
    const byChannel = JSON.parse((await ok(['stats', '--by', 'canale', '--json'])).stdout);
    expect(byChannel.by).toBe('channel');
  });
});

describe('spreadsheets, read back with SheetJS', () => {
  let demo: ReturnType<typeof tempWorkspace>;
  let demoUrp: ReturnType<typeof urpWith>;
  beforeAll(async () => {
    demo = tempWorkspace({ init: false });
    demoUrp = urpWith(demo.db);
    expect((await demoUrp(['init', '--demo'])).code).toBe(0);
    // A subject a spreadsheet would run as a formula, if it were ever written as one.
    expect((await demoUrp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', '=HYPERLINK("http://example.com","clic")', '--first-name', 'Carla', '--last-name', 'Neri', '--phone', '+39 0331 467816'])).code).toBe(0);
  });
  afterAll(() => demo.cleanup());

  const read = (path: string) => XLSX.read(readFileSync(path), { type: 'buffer', cellStyles: true, bookFiles: true });
  const sheetXml = (book: XLSX.WorkBook) => String((book as unknown as { files: Record<string, { content: Uint8Array }> }).files['xl/worksheets/sheet1.xml']!.content && Buffer.from((book as unknown as { files: Record<string, { content: Uint8Array }> }).files['xl/worksheets/sheet1.xml']!.content).toString('utf8'));
  const headers = (sheet: XLSX.WorkSheet) => (XLSX.utils.sheet_to_json(sheet, { header: 1 })[0] as string[]);

  it('report list --xlsx --lang it: Italian headers, dates in Rome time as dates, numbers and yes/no typed, text never a formula, a frozen header', async () => {
    const path = join(demo.dir, 'pratiche.xlsx');
    expect((await demoUrp(['--lang', 'it', 'report', 'list', '--xlsx', '--output', path])).code).toBe(0);
    const book = read(path);
    expect(book.SheetNames).toEqual(['pratiche']);
    const sheet = book.Sheets.pratiche!;
    const header = headers(sheet);
    expect(header.slice(0, 5)).toEqual(['numero', 'tipo', 'canale', 'stato', 'oggetto']);
    const column = (name: string) => XLSX.utils.encode_col(header.indexOf(name));
    const reports = JSON.parse((await demoUrp(['report', 'list', '--json'])).stdout) as Array<{ number: string; receivedAt: string; citizen: { id: number }; lateToReply: boolean; subject: string }>;
    const rows = XLSX.utils.sheet_to_json(sheet, { header: 1 }) as unknown[][];
    expect(rows).toHaveLength(reports.length + 1);
    for (const [index, report] of reports.entries()) {
      const row = index + 2;
      expect(sheet[`A${row}`]).toMatchObject({ t: 's', v: report.number });
      const received = sheet[`${column('ricevuta il')}${row}`]!;
      expect(received.t).toBe('n');
      expect(received.z).toBe('dd/mm/yyyy hh:mm');
      // A spreadsheet date has no zone: it holds the wall time of Rome.
      const wall = XLSX.SSF.parse_date_code(received.v as number);
      const shown = `${wall.y}-${String(wall.m).padStart(2, '0')}-${String(wall.d).padStart(2, '0')} ${String(wall.H).padStart(2, '0')}:${String(wall.M).padStart(2, '0')}`;
      expect(shown).toBe(rome(report.receivedAt));
      expect(sheet[`${column('n. cittadino')}${row}`]).toMatchObject({ t: 'n', v: report.citizen.id });
      expect(sheet[`${column('risposta in ritardo')}${row}`]).toMatchObject({ t: 'b', v: report.lateToReply });
    }
    const formula = reports.findIndex((report) => report.subject.startsWith('=HYPERLINK'));
    const cell = sheet[`${column('oggetto')}${formula + 2}`]!;
    expect(cell).toMatchObject({ t: 's', v: '=HYPERLINK("http://example.com","clic")' });
    expect(cell.f).toBeUndefined();
    expect(sheetXml(book)).toMatch(/<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
    expect(sheetXml(book)).not.toContain('<f>');
    expect(sheet['!cols']!.every((each) => (each.width ?? 0) > 0)).toBe(true);
  });

  it('piped to another program, the workbook is the same bytes; on a terminal it is refused (tests/e2e/desk-terminal.test.ts)', () => {
    const piped = spawnSync(process.execPath, [URP_BIN, '--db', demo.db, 'report', 'list', '--xlsx', '--limit', '3'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8' } });
    expect(piped.status, String(piped.stderr)).toBe(0);
    const book = XLSX.read(piped.stdout, { type: 'buffer' });
    expect(headers(book.Sheets[book.SheetNames[0]!]!).slice(0, 2)).toEqual(['number', 'type']);
    expect(XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]!]!)).toHaveLength(3);
  });

  it('stats --xlsx: counts as numbers, on-time shares as percentages', async () => {
    const path = join(demo.dir, 'statistiche.xlsx');
    expect((await demoUrp(['--lang', 'it', 'stats', '--by', 'area', '--xlsx', '--output', path])).code).toBe(0);
    const stats = JSON.parse((await demoUrp(['stats', '--by', 'area', '--json'])).stdout);
    const sheet = read(path).Sheets.statistiche!;
    const header = headers(sheet);
    expect(header[0]).toBe('area');
    const cell = (name: string, row: number) => sheet[`${XLSX.utils.encode_col(header.indexOf(name))}${row}`];
    expect(cell('ricevute', 2)).toMatchObject({ t: 'n', v: stats.groups[0].figures.received });
    expect(cell('risposte in tempo', 2)).toMatchObject({ t: 'n', z: '0.0%' });
    expect(cell('risposte in tempo', 2)!.v).toBeCloseTo(stats.groups[0].figures.answeredOnTime.percent / 100, 6);
    // The total, last.
    const last = stats.groups.length + 2;
    expect(cell('area', last)).toMatchObject({ v: 'Totale' });
    expect(cell('ricevute', last)).toMatchObject({ t: 'n', v: stats.total.received });
  });

  it('export --format xlsx: every report, phones and codes as text, dates as dates', async () => {
    const path = join(demo.dir, 'export.xlsx');
    expect((await demoUrp(['export', '--format', 'xlsx', '--output', path])).code).toBe(0);
    const sheet = read(path).Sheets[read(path).SheetNames[0]!]!;
    const header = headers(sheet);
    const rows = XLSX.utils.sheet_to_json(sheet) as Array<Record<string, unknown>>;
    const count = query<{ n: number }>(demo.db, 'select count(*) as n from reports')[0]!.n;
    expect(rows).toHaveLength(count);
    const carla = rows.find((row) => row['last name'] === 'Neri' && row['first name'] === 'Carla')!;
    // Stored E.164, kept whole as text (Excel would show 3,90331E+11 for a number).
    expect(carla.phone).toBe('+390331467816');
    const phoneCell = sheet[`${XLSX.utils.encode_col(header.indexOf('phone'))}${rows.indexOf(carla) + 2}`]!;
    expect(phoneCell.t).toBe('s');
    expect(sheet[`${XLSX.utils.encode_col(header.indexOf('received on'))}2`]).toMatchObject({ t: 'n', z: 'dd/mm/yyyy hh:mm' });
    expect(sheet[`${XLSX.utils.encode_col(header.indexOf('number'))}2`]).toMatchObject({ t: 's' });
  });

  it('overdue --xlsx: a row per entry with its section, how late in days as a number', async () => {
    const path = join(demo.dir, 'ritardi.xlsx');
    expect((await demoUrp(['--lang', 'it', 'overdue', '--xlsx', '--output', path])).code).toBe(0);
    const overdue = JSON.parse((await demoUrp(['overdue', '--json'])).stdout);
    const sheet = read(path).Sheets['ritardi e scadenze']!;
    const rows = XLSX.utils.sheet_to_json(sheet) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(overdue.lateToAssign.length + overdue.lateToReply.length + overdue.dueSoon.length);
    expect(rows[0]!.sezione).toBe('da assegnare in ritardo');
    expect(rows[0]!.numero).toBe(overdue.lateToAssign[0].number);
    expect(rows[0]!['giorni di ritardo']).toBeCloseTo(overdue.lateToAssign[0].lateSeconds / 86_400, 1);
  });

  it('queue --xlsx --all: a row per report with its pile\'s title, as many as the piles hold', async () => {
    const path = join(demo.dir, 'coda.xlsx');
    expect((await demoUrp(['--lang', 'it', 'queue', '--all', '--xlsx', '--output', path])).code).toBe(0);
    const queue = JSON.parse((await demoUrp(['queue', '--all', '--json'])).stdout);
    const sheet = read(path).Sheets.coda!;
    const rows = XLSX.utils.sheet_to_json(sheet) as Array<Record<string, unknown>>;
    const areaReports = queue.areas.reduce((sum: number, area: { toAcknowledge: unknown[]; toReply: unknown[]; suspended: unknown[] }) => sum + area.toAcknowledge.length + area.toReply.length + area.suspended.length, 0);
    expect(rows).toHaveLength(queue.urp.toAssign.length + queue.urp.returned.length + queue.urp.toClose.length + areaReports);
    expect(rows[0]!.coda).toBe('URP — da assegnare');
    expect(rows[0]!.numero).toBe(queue.urp.toAssign[0].number);
    const area = queue.areas.find((each: { toReply: unknown[] }) => each.toReply.length > 0);
    expect(rows.some((row) => row.coda === `${area.name} (${area.area}) — da rispondere`)).toBe(true);
  });

  it('--csv-excel: ; between cells, a BOM, CRLF, Rome time, labels, formulas neutralised; --csv stays the machine format', async () => {
    const result = await demoUrp(['--lang', 'it', 'report', 'list', '--csv-excel']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('\uFEFFnumero;tipo;canale;stato;oggetto;')).toBe(true);
    const lines = result.stdout.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(result.stdout).toMatch(/;segnalazione;telefono;registrata;"'=HYPERLINK\(""http:\/\/example\.com"",""clic""\)";/);
    expect(lines[1]).toMatch(/;\d{2}\/\d{2}\/\d{4} \d{2}:\d{2};/);
    expect(result.stdout).toMatch(/;(sì|no);(sì|no)\r\n/);
    const machine = await demoUrp(['report', 'list', '--csv']);
    expect(machine.stdout.startsWith('number,type,channel,status,subject,')).toBe(true);
    expect(machine.stdout).toMatch(/,problem,phone,registered,/);
  });
});

