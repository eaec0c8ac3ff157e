import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { query, snapshot, tableNames, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';
import { type PtySession, startUrpPty, stripAnsi } from '../helpers/pty.js';

/**
 * Issue 6, "hostile text": citizens write anything. What they write reaches
 * terminals neutralised, SQL-looking text is plain text, CSV cells never run
 * as formulas in a spreadsheet, and every text field has a length limit.
 */

const ESC = '\u001b';
// Clears the screen; an OSC 8 hyperlink whose visible text hides its target;
// a colour of the citizen's own (not one urp uses); a carriage return that
// would overwrite the start of the line.
const HOSTILE_DESCRIPTION = `Inizio${ESC}[2J dopo ${ESC}]8;;http://evil.example${ESC}\\testo del link${ESC}]8;;${ESC}\\ e${ESC}[38;5;196m rosso\rSOVRASCRITTO fine`;
const HOSTILE_SUBJECT = `Buca${ESC}[2J${ESC}]8;;http://evil.example${ESC}\\clicca${ESC}]8;;${ESC}\\\rX`;
const SQL_TEXT = `'; DROP TABLE reports; --`;
const SQL_DESCRIPTION = `Robert'); DROP TABLE citizens;-- " OR 1=1 --`;

const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
let hostileNumber: string;
let sqlNumber: string;

beforeAll(async () => {
  expect((await urp(['area', 'add', 'manutenzione', '--name', 'Manutenzione'])).code).toBe(0);
  const citizen = await urp(['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--email', 'mario.rossi@example.it']);
  expect(citizen.code).toBe(0);
  // Received weeks ago: late, so the overdue printout shows it too.
  const hostile = await urp([
    'report', 'new', '--type', 'problem', '--channel', 'web', '--received-at', '2026-11-02T10:00',
    '--subject', HOSTILE_SUBJECT, '--description', HOSTILE_DESCRIPTION, '--location', `Via Roma${ESC}[2J 1`, '--citizen', '1',
  ]);
  expect(hostile.stderr).toBe(`Report ${YEAR}/000001 registered\n`);
  expect(hostile.code).toBe(0);
  hostileNumber = hostile.stdout.trim();
  const sql = await urp([
    'report', 'new', '--type', 'complaint', '--channel', 'email', '--subject', SQL_TEXT, '--description', SQL_DESCRIPTION,
    '--location', `Via dei Mille 1' OR '1'='1`, '--citizen', '1',
  ]);
  expect(sql.code).toBe(0);
  sqlNumber = sql.stdout.trim();
});
afterAll(() => workspace.cleanup());

/** The escape sequences urp itself may print on a terminal: colours and bold (SGR) only. */
const OWN_SGR = /\u001b\[[0-9;]*m/g;
/** A carriage return that does not end a line: it would move the cursor back over printed text. */
const BARE_CR = /\r(?!\n)/;

describe('control characters in citizen text', () => {
  let session: PtySession | undefined;
  afterEach(() => session?.dispose());

  for (const args of [['report', 'show', `${YEAR}/000001`], ['report', 'list'], ['overdue'], ['report', 'list', '--csv'], ['export']] as const) {
    // Wide enough for the whole subject: a table cuts long text with … to fit the terminal.
    const wide = { COLUMNS: '400' };
    it(`${args.join(' ')} on a terminal without colour prints no ESC at all, and shows the sequences as visible text`, async () => {
      session = startUrpPty(args, { db: workspace.db, env: { NO_COLOR: '1', ...wide } });
      expect(await session.exit()).toBe(0);
      const raw = session.raw;
      expect(raw).toContain('Buca'); // the report is there
      expect(raw.includes(ESC)).toBe(false);
      expect(raw).not.toMatch(BARE_CR);
      // The link target is visible (not hidden behind its text), the clear-screen is shown as text.
      expect(raw).toContain('\\x1b]8;;http://evil.example');
      expect(raw).toContain('\\x1b[2J');
    });

    it(`${args.join(' ')} on a colour terminal uses ESC only for its own colours`, async () => {
      session = startUrpPty(args, { db: workspace.db, env: wide });
      expect(await session.exit()).toBe(0);
      const raw = session.raw;
      expect(raw).toContain('Buca');
      // The citizen's own sequences never arrive as such...
      expect(raw).not.toContain(`${ESC}[2J`);
      expect(raw).not.toContain(`${ESC}]8;`);
      expect(raw).not.toContain(`${ESC}\\`);
      expect(raw).not.toContain(`${ESC}[38;5;196m`);
      // ...and what is left once urp's own colours are taken out holds no ESC at all.
      expect(raw.replace(OWN_SGR, '').includes(ESC)).toBe(false);
      expect(raw).not.toMatch(BARE_CR);
      expect(stripAnsi(raw)).toContain('http://evil.example');
    });
  }

  it('report show keeps the whole description readable: the carriage return becomes a line break, nothing is overwritten', async () => {
    session = startUrpPty(['report', 'show', hostileNumber], { db: workspace.db, env: { NO_COLOR: '1' } });
    expect(await session.exit()).toBe(0);
    const text = session.text();
    expect(text).toContain('Inizio\\x1b[2J dopo \\x1b]8;;http://evil.example\\x1b\\testo del link');
    expect(text).toMatch(/rosso\n\s+SOVRASCRITTO fine/);
  });

  it('piped output (report show, report list, overdue) holds no ESC and no bare carriage return', async () => {
    for (const args of [['report', 'show', hostileNumber], ['report', 'list'], ['report', 'list', '--search', 'Buca'], ['overdue'], ['overdue', '--with-citizen']]) {
      const result = await urp(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toContain('Buca');
      expect(result.stdout.includes(ESC), args.join(' ')).toBe(false);
      expect(result.stdout, args.join(' ')).not.toMatch(BARE_CR);
      expect(result.stdout, args.join(' ')).toContain('\\x1b]8;;http://evil.example');
    }
  });

  it('the stored text is the citizen text as given (neutralised only when printed)', () => {
    const [row] = query<{ subject: string; description: string }>(workspace.db, 'select subject, description from reports where number = ?', hostileNumber);
    expect(row).toEqual({ subject: HOSTILE_SUBJECT, description: HOSTILE_DESCRIPTION });
    // JSON keeps it exact (escaped by JSON itself), for scripts.
    return urp(['report', 'show', hostileNumber, '--json']).then((result) => {
      expect(result.code).toBe(0);
      expect(result.stdout.includes(ESC)).toBe(false);
      expect(JSON.parse(result.stdout).description).toBe(HOSTILE_DESCRIPTION);
    });
  });
});

describe('control characters in what the user typed', () => {
  it('a path, an option or a value quoted by an error or a message is shown with its escapes visible, never obeyed', async () => {
    const folder = join(workspace.dir, `cartella${ESC}[2J`);
    const cases: Array<{ args: string[]; shows: string }> = [
      // A mistyped --db (the error names the path).
      { args: ['--db', join(folder, `urp${ESC}]8;;http://evil.example${ESC}\\.db`), 'report', 'list'], shows: 'cartella\\x1b[2J' },
      // A file to import that is not there.
      { args: ['import', join(folder, `righe\r.csv`)], shows: 'righe\\x0d.csv' },
      // An option commander does not know.
      { args: ['report', 'list', `--colore${ESC}[31m`], shows: '--colore\\x1b[31m' },
      // A status that is none (the value is quoted back).
      { args: ['report', 'list', '--status', `chiuso${ESC}[2J`], shows: 'chiuso\\x1b[2J' },
    ];
    for (const { args, shows } of cases) {
      const result = await urp(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(' ')).not.toContain(ESC);
      expect(result.stderr, args.join(' ')).not.toMatch(BARE_CR);
      expect(result.stderr, args.join(' ')).toContain(shows);
    }
  });
});

describe('SQL-looking text', () => {
  it('is stored verbatim, and the tables are all still there', () => {
    const [row] = query<{ subject: string; description: string; location: string }>(
      workspace.db,
      'select subject, description, location from reports where number = ?',
      sqlNumber,
    );
    expect(row).toEqual({ subject: SQL_TEXT, description: SQL_DESCRIPTION, location: `Via dei Mille 1' OR '1'='1` });
    const tables = tableNames(workspace.db);
    expect(tables).toEqual(expect.arrayContaining(['citizens', 'reports', 'report_events', 'replies']));
    expect(query(workspace.db, 'select count(*) as n from reports')).toEqual([{ n: 2 }]);
    expect(query(workspace.db, 'select count(*) as n from citizens')).toEqual([{ n: 1 }]);
  });

  it('is shown verbatim by report show, report list and JSON, and is found by a search for it', async () => {
    const show = await urp(['report', 'show', sqlNumber]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`Subject\\s+${SQL_TEXT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    expect(show.stdout).toContain(SQL_DESCRIPTION);
    const list = await urp(['report', 'list', '--search', `'; DROP TABLE`, '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((report: { number: string; subject: string }) => [report.number, report.subject])).toEqual([[sqlNumber, SQL_TEXT]]);
    // A search that would match everything if it were pasted into SQL matches nothing.
    const injection = await urp(['report', 'list', '--search', `' OR '1'='1`, '--json']);
    expect(injection.code).toBe(0);
    expect(JSON.parse(injection.stdout).map((report: { number: string }) => report.number)).toEqual([sqlNumber]);
    const percent = await urp(['report', 'list', '--search', '%', '--json']);
    expect(JSON.parse(percent.stdout)).toEqual([]);
  });
});

describe('CSV exports neutralise formulas', () => {
  const formulas = {
    subject: '=HYPERLINK("http://evil.example","clicca")',
    description: '+SUM(A1:A9)',
    location: '@cmd|\' /C calc\'!A0',
    firstName: '-2+3',
    lastName: '=1+1',
  };
  let number: string;
  beforeAll(async () => {
    const result = await urp([
      'report', 'new', '--type', 'suggestion', '--channel', 'counter', '--subject', formulas.subject, '--description', formulas.description,
      '--location', formulas.location, '--first-name', formulas.firstName, '--last-name', formulas.lastName, '--email', 'formula@example.it',
      '--external-ref', '=EXT-1',
    ]);
    expect(result.code).toBe(0);
    number = result.stdout.trim();
  });

  /** Minimal CSV reader (quotes, doubled quotes), enough to read urp's own output. */
  function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    for (let index = 0; index < text.length; index++) {
      const character = text[index]!;
      if (quoted) {
        if (character === '"' && text[index + 1] === '"') {
          cell += '"';
          index++;
        } else if (character === '"') quoted = false;
        else cell += character;
      } else if (character === '"') quoted = true;
      else if (character === ',') {
        row.push(cell);
        cell = '';
      } else if (character === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
      } else if (character !== '\r') cell += character;
    }
    if (cell || row.length) rows.push([...row, cell]);
    return rows;
  }

  function rowOf(csv: string): Record<string, string> {
    const [header, ...rows] = parseCsv(csv);
    const row = rows.find((cells) => cells.includes(number));
    expect(row, `row of ${number} in\n${csv}`).toBeDefined();
    return Object.fromEntries(header!.map((name, index) => [name, row![index]!]));
  }

  it('export --format csv prefixes every formula-like cell with an apostrophe', async () => {
    const result = await urp(['export', '--format', 'csv']);
    expect(result.code).toBe(0);
    const row = rowOf(result.stdout);
    expect(row.subject).toBe(`'${formulas.subject}`);
    expect(row.description).toBe(`'${formulas.description}`);
    expect(row.location).toBe(`'${formulas.location}`);
    expect(row.first_name).toBe(`'${formulas.firstName}`);
    expect(row.last_name).toBe(`'${formulas.lastName}`);
    expect(row.external_ref).toBe(`'=EXT-1`);
    // No cell of the whole file starts a formula.
    for (const cells of parseCsv(result.stdout)) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('report list --csv does the same', async () => {
    const result = await urp(['report', 'list', '--csv']);
    expect(result.code).toBe(0);
    const row = rowOf(result.stdout);
    expect(row.subject).toBe(`'${formulas.subject}`);
    for (const cells of parseCsv(result.stdout)) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('the database keeps the text as written (the apostrophe is only in the export)', () => {
    expect(query(workspace.db, 'select subject, description from reports where number = ?', number)).toEqual([
      { subject: formulas.subject, description: formulas.description },
    ]);
  });
});

describe('length limits', () => {
  const long = (length: number) => 'x'.repeat(length);
  const NEW_REPORT = ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Limite'];
  const NEW_CITIZEN = ['--first-name', 'Anna', '--last-name', 'Verdi', '--email', 'anna.verdi@example.it'];
  /** A report taken in charge by an area: it can be noted, returned (with a reason) and replied to. */
  let target = '';

  beforeAll(async () => {
    const result = await urp([...NEW_REPORT, '--citizen', '1']);
    expect(result.code).toBe(0);
    target = result.stdout.trim();
    expect((await urp(['report', 'assign', target, '--area', 'manutenzione'])).code).toBe(0);
    expect((await urp(['report', 'ack', target])).code).toBe(0);
  });

  const cases: Array<{ field: string; flag: string; limit: number; args: (value: string) => string[] }> = [
    { field: 'subject', flag: '--subject', limit: 200, args: (value) => ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', value, '--citizen', '1'] },
    { field: 'description', flag: '--description', limit: 10_000, args: (value) => [...NEW_REPORT, '--description', value, '--citizen', '1'] },
    { field: 'location', flag: '--location', limit: 500, args: (value) => [...NEW_REPORT, '--location', value, '--citizen', '1'] },
    { field: 'external ref', flag: '--external-ref', limit: 100, args: (value) => [...NEW_REPORT, '--external-ref', value, '--citizen', '1'] },
    { field: 'first name', flag: '--first-name', limit: 100, args: (value) => [...NEW_REPORT, '--first-name', value, '--last-name', 'Verdi', '--email', 'anna.verdi@example.it'] },
    { field: 'last name', flag: '--last-name', limit: 100, args: (value) => [...NEW_REPORT, '--first-name', 'Anna', '--last-name', value, '--email', 'anna.verdi@example.it'] },
    { field: 'address', flag: '--address', limit: 500, args: (value) => [...NEW_REPORT, ...NEW_CITIZEN, '--address', value] },
    { field: 'citizen add, first name', flag: '--first-name', limit: 100, args: (value) => ['citizen', 'add', '--first-name', value, '--last-name', 'Verdi', '--email', 'anna.verdi@example.it'] },
    { field: 'citizen add, address', flag: '--address', limit: 500, args: (value) => ['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Verdi', '--address', value] },
    { field: 'citizen update, last name', flag: '--last-name', limit: 100, args: (value) => ['citizen', 'update', '1', '--last-name', value] },
    { field: 'note', flag: '--text', limit: 10_000, args: (value) => ['report', 'note', target, '--text', value] },
    { field: 'reason (return)', flag: '--reason', limit: 2_000, args: (value) => ['report', 'return', target, '--reason', value] },
    { field: 'reason (suspend)', flag: '--reason', limit: 2_000, args: (value) => ['report', 'suspend', target, '--reason', value] },
    { field: 'reply', flag: '--text', limit: 20_000, args: (value) => ['report', 'reply', target, '--text', value, '--outcome', 'information'] },
  ];

  it('one character too many: a clear error naming the flag and the limit, exit 2, nothing written', async () => {
    const before = snapshot(workspace.db);
    const results = await Promise.all(cases.map((each) => urp(each.args(long(each.limit + 1)))));
    results.forEach((result, index) => {
      const { field, flag, limit } = cases[index]!;
      expect(result.stderr, field).toBe(`urp: error: ${flag}: too long (${limit + 1} characters, at most ${limit})\n`);
      expect(result.code, field).toBe(2);
      expect(result.stdout, field).toBe('');
    });
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('exactly at the limit: accepted and stored whole', async () => {
    const result = await urp([
      'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', long(200), '--description', long(10_000),
      '--location', long(500), '--external-ref', long(100), '--first-name', long(100), '--last-name', 'y'.repeat(100),
      '--email', 'limits@example.it', '--address', long(500),
    ]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const number = result.stdout.trim();
    expect(
      query(
        workspace.db,
        `select length(r.subject) as subject, length(r.description) as description, length(r.location) as location, length(r.external_ref) as ref,
                length(c.first_name) as first, length(c.last_name) as last, length(c.address) as address
         from reports r join citizens c on c.id = r.citizen_id where r.number = ?`,
        number,
      ),
    ).toEqual([{ subject: 200, description: 10_000, location: 500, ref: 100, first: 100, last: 100, address: 500 }]);

    expect((await urp(['report', 'note', target, '--text', long(10_000)])).code).toBe(0);
    expect((await urp(['report', 'reply', target, '--text', long(20_000), '--outcome', 'information'])).code).toBe(0);
    expect((await urp(['report', 'close', target])).code).toBe(0);
    expect((await urp(['report', 'reopen', target, '--reason', long(2_000)])).code).toBe(0);
    expect(
      query(
        workspace.db,
        `select e.kind, length(e.text) as length from report_events e join reports r on r.id = e.report_id
         where r.number = ? and e.kind in ('note', 'reopened') order by e.id`,
        target,
      ),
    ).toEqual([
      { kind: 'note', length: 10_000 },
      { kind: 'reopened', length: 2_000 },
    ]);
    expect(query(workspace.db, 'select length(p.text) as length from replies p join reports r on r.id = p.report_id where r.number = ?', target)).toEqual([
      { length: 20_000 },
    ]);
  });

  it('an import row with a field over its limit is refused naming the line and the column', async () => {
    const file = join(workspace.dir, 'long.csv');
    writeFileSync(
      file,
      'tipo;canale;data;nome;cognome;email;oggetto;descrizione;riferimento\n' +
        'reclamo;telefono;20/11/2026 09:30;Anna;Verdi;anna.v@example.it;Buca;ok;LONG-1\n' +
        `reclamo;telefono;20/11/2026 09:30;Anna;Verdi;anna.v@example.it;${long(201)};ok;LONG-2\n` +
        `reclamo;telefono;20/11/2026 09:30;Anna;Verdi;anna.v@example.it;Buca;${long(10_001)};LONG-3\n`,
    );
    const before = snapshot(workspace.db);
    const result = await urp(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line 3, field oggetto: too long (201 characters, at most 200)');
    expect(result.stderr).toContain('line 4, field descrizione: too long (10001 characters, at most 10000)');
    expect(result.stderr).not.toContain(long(201));
    expect(snapshot(workspace.db)).toBe(before);
  });
});
