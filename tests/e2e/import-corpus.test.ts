import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type RunResult, copyDatabase, query, snapshot, tempWorkspace, urpWith, addAreasAndCategories } from '../helpers/cli.js';

/**
 * The "Bad input" corpus of issue 5: every malformed file is refused with exit
 * 2 and messages naming the line and the column, without a stack trace,
 * without echoing personal data, and with the database unchanged byte for
 * byte; where some rows are good, `--skip-invalid --rejects F` writes them,
 * puts the bad ones with their errors in F and exits 3.
 *
 * The files are in tests/fixtures/import; the two huge ones (a 1 MB field, a
 * 10,000-column line) are generated here into the temporary folder.
 */
const FIXTURES = resolve(import.meta.dirname, '../fixtures/import');

const EN = 'type,channel,received_at,first_name,last_name,tax_code,email,phone,address,subject,description,category,location,external_ref';
const goodRow = (ref: string) => `problem,phone,2026-11-20T09:30,Mario,Rossi,RSSMRA70E12H501G,mario.rossi@example.it,,,Buca in via Roma,,buche,Via Roma 1,${ref}`;

/** Everything personal that the fixtures hold: none of it may reach stderr. */
const PERSONAL = [
  'RSSMRA70E12H501G', 'RSSMRA70E12H501X', 'RSSMRA70E1', 'RSSMRA70B31H501U', '1234567890123456', 'BNCNNA85C43F205K', 'FBBNCL88T01F205D',
  'mario.rossi', 'anna.bianchi', 'luca.ferrari', 'nicolo.fabbri', 'o.neill', 'sara.colombo', '3331234567', '3337654321', 'telefonami',
  'Rossi', 'Bianchi', 'Ferrari', 'Fabbri', 'Neill', 'Colombo', 'Mario', 'Nicol',
];

interface Case {
  readonly file: string;
  /** Written into the temporary folder by the test instead of read from the fixtures. */
  readonly generate?: () => string;
  /** What stderr must say, each in this order. */
  readonly errors: readonly string[];
  /** Some rows are good: with --skip-invalid --rejects F, these are written and rejected (exit 3). */
  readonly partial?: { readonly imported: number; readonly rejected: number };
}

const CASES: readonly Case[] = [
  // Delimiters and headers.
  { file: 'wrong-delimiter-colon.csv', errors: ['file: unknown column "type:channel:received_at:first_name:last_name:tax_code:email"'] },
  { file: 'wrong-delimiter-mixed.csv', errors: ['file: unknown column "tipo;canale;data;nome;cognome;codice_fiscale;email;telefono;"'] },
  { file: 'wrong-delimiter-tab-header.csv', errors: ['file: unknown column "type\\x09channel\\x09received_at'] },
  { file: 'missing-header.csv', errors: ['file: required column missing: type, channel, received_at, subject, first_name, last_name'] },
  { file: 'duplicate-header.csv', errors: ['file: the column "subject" appears twice'] },
  { file: 'unknown-columns.csv', errors: ['file: unknown column "priority"'] },
  { file: 'missing-required-column.csv', errors: ['file: required column missing: subject'] },
  { file: 'no-contact-columns.csv', errors: ['file: required column missing: email / phone / address'] },
  { file: 'header-unclosed-quote.csv', errors: ['file: the line cannot be read as CSV (MissingQuotes'] },
  // Quoting, encoding, emptiness.
  { file: 'unbalanced-quotes.csv', errors: ['line 3: the line cannot be read as CSV (MissingQuotes'], partial: { imported: 1, rejected: 1 } },
  // Papa reads on past a quote followed by text, looking for its end: line 4 goes with line 3.
  { file: 'stray-quote.csv', errors: ['line 3: the line cannot be read as CSV (InvalidQuotes'], partial: { imported: 1, rejected: 1 } },
  { file: 'latin1.csv', errors: ['the file is not UTF-8 (line 2)', 'iconv -f WINDOWS-1252 -t UTF-8', 'or import it with --encoding latin1'] },
  { file: 'empty.csv', errors: ['file: the file holds no reports'] },
  { file: 'header-only.csv', errors: ['file: the file holds no reports'] },
  { file: 'blank-lines-only.csv', errors: ['file: the file holds no reports'] },
  {
    file: 'control-characters.csv',
    errors: ['line 2, field type: "problem\\x07" is not a report type', 'line 3, field channel: "ph\\x00one" is not a channel'],
    partial: { imported: 1, rejected: 2 },
  },
  // Sizes.
  {
    file: 'huge-field.csv',
    // A 1 MB description with two line breaks in it, then a good row and a bad one, whose lines count those breaks.
    generate: () => `${EN}\n${goodRow('HF-1').replace(',,buche', `,"${'x'.repeat(1 << 19)}\n\n${'y'.repeat(1 << 19)}",buche`)}\n${goodRow('HF-2')}\n${goodRow('HF-3').replace('2026-11-20T09:30', '2026-11-31')}\n`,
    errors: ['line 2, field description: too long (1048578 characters, at most 10000)', 'line 6, field received_at: 2026-11-31 does not exist: that month has 30 days'],
    partial: { imported: 1, rejected: 2 },
  },
  {
    file: 'wide-line.csv',
    generate: () => `${EN}\n${goodRow('WL-1')}\n${Array.from({ length: 10_000 }, (_, index) => `c${index}`).join(',')}\n`,
    errors: ['line 3: 10000 fields where the header has 14'],
    partial: { imported: 1, rejected: 1 },
  },
  // Values.
  { file: 'impossible-date.csv', errors: ['line 2, field data: 31/02/2026 does not exist: that month has 28 days', 'line 3, field data: 2026-02-29 does not exist: that month has 28 days'] },
  { file: 'future-dates.csv', errors: ['line 2, field received_at: in the future', 'line 3, field answered_at: in the future'] },
  { file: 'tax-code-check-character.csv', errors: ['line 2, field tax_code: wrong check character (the last letter)'] },
  {
    file: 'tax-code-format.csv',
    errors: ['line 2, field tax_code: not a tax code', 'line 3, field tax_code: the birth date it encodes does not exist', 'line 4, field tax_code: not a tax code'],
  },
  { file: 'contact-invalid.csv', errors: ['line 2, field email: not an e-mail address', 'line 3, field phone: not a phone number'] },
  {
    file: 'citizen-no-contact.csv',
    errors: ['line 2, field email: at least one way to reach the citizen is needed', 'line 3, field email: no citizen: anonymous reports are not accepted'],
  },
  {
    file: 'missing-required-values.csv',
    errors: ['line 2, field subject: required', 'line 3, field type: required', 'line 3, field channel: required', 'line 4, field received_at: required'],
  },
  {
    file: 'unknown-vocabulary.csv',
    errors: [
      'line 2, field type: "richiesta" is not a report type',
      'line 3, field channel: "fax" is not a channel',
      'line 4, field category: no category "parcheggi"',
      'line 5, field area: no area "anagrafe"',
    ],
  },
  {
    file: 'ref-conflict.csv',
    errors: ['line 3, field external_ref: reference "REF-7" appears earlier in the file with different contents'],
    partial: { imported: 1, rejected: 1 },
  },
  // History columns.
  {
    file: 'milestones-out-of-order.csv',
    errors: [
      'line 2, field assigned_at: earlier than received_at: milestones must be in order',
      'line 3, field answered_at: earlier than acknowledged_at',
      'line 4, field closed_at: earlier than answered_at',
    ],
  },
  {
    file: 'milestones-inconsistent.csv',
    errors: [
      'line 2, field closed_at: required for status "closed"',
      'line 3, field answered_at: not allowed with status "registered"',
      'line 4, field outcome: required for status "answered"',
      'line 5, field status: "forgotten" is not a status',
      'line 6, field acknowledged_at: required for status "acknowledged"',
    ],
  },
  {
    file: 'bad-numbers.csv',
    errors: [
      'line 2, field number: not a report number',
      'line 3, field number: number 2026/000001 is already used',
      'line 5, field number: number 2026/000007 is already used',
      'line 6, field number: in the future',
      'line 7, field number: earlier than received_at',
    ],
    partial: { imported: 1, rejected: 5 },
  },
  // JSON and JSON Lines.
  { file: 'not-an-array.json', errors: ['file: a .json file must hold an array of reports'] },
  { file: 'truncated.json', errors: ['file: the JSON ends before the array is closed (line 5): the file is truncated'] },
  { file: 'trailing-text.json', errors: ['line 4: not a valid JSON object'], partial: { imported: 1, rejected: 1 } },
  { file: 'not-objects.json', errors: ['line 2: not a valid JSON object', 'line 3: not a valid JSON object'], partial: { imported: 1, rejected: 2 } },
  {
    file: 'wrong-types.json',
    errors: ['line 2, field subject: not valid', 'line 3, field type: not valid', 'line 3, field receivedAt: not a valid date'],
    partial: { imported: 1, rejected: 2 },
  },
  { file: 'malformed-line.jsonl', errors: ['line 2: not a valid JSON object'], partial: { imported: 2, rejected: 1 } },
  { file: 'unknown-field.jsonl', errors: ['line 1: unknown field "colour"'] },
];

let base: ReturnType<typeof tempWorkspace>;

/** The database every case starts from: two areas, two categories, one report (2026/000001, EXIST-1). */
beforeAll(async () => {
  base = tempWorkspace();
  const urp = urpWith(base.db);
  await addAreasAndCategories(urp);
  const seed = join(base.dir, 'seed.csv');
  writeFileSync(seed, 'type,channel,received_at,first_name,last_name,email,subject,external_ref,number\nproblem,phone,2026-11-02T10:00,Sara,Colombo,sara.colombo@example.it,Esistente,EXIST-1,2026/000001\n');
  expect((await urp(['import', seed])).code).toBe(0);
});
afterAll(() => base.cleanup());

/** A workspace with a copy of the base database, and the case's file in it (fixture or generated). */
function prepare(testCase: Case) {
  const workspace = tempWorkspace();
  copyDatabase(base.db, workspace.db);
  const file = join(workspace.dir, testCase.file);
  if (testCase.generate) writeFileSync(file, testCase.generate());
  else copyFileSync(join(FIXTURES, testCase.file), file);
  return { ...workspace, file, urp: urpWith(workspace.db) };
}

/** The database's bytes on SQLite (not one page rewritten); on PostgreSQL, whose files are the server's, every row. */
const bytes = (db: string) => (ENGINE === 'sqlite' ? createHash('sha256').update(readFileSync(db)).digest('hex') : snapshot(db));
const reportCount = (db: string) => query<{ count: number }>(db, 'select count(*) as count from reports')[0]!.count;

function expectCleanStderr(result: RunResult): void {
  // No stack trace, no unexpected failure, no raw control characters (ESC, BEL, NUL...).
  expect(result.stderr).not.toMatch(/^\s+at\s/m);
  expect(result.stderr).not.toMatch(/\b(TypeError|RangeError|SyntaxError|ReferenceError)\b|unexpected error|This is a bug/);
  expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  for (const personal of PERSONAL) expect(result.stderr, `stderr echoes "${personal}"`).not.toContain(personal);
  // One error per column of a row: an object where a text belongs is "not valid", not also "required".
  const columns = result.stderr.match(/^line \d+, field [^:]+:/gm) ?? [];
  expect(columns).toEqual([...new Set(columns)]);
}

function expectInOrder(text: string, messages: readonly string[]): void {
  let from = 0;
  for (const message of messages) {
    const at = text.indexOf(message, from);
    expect(at, `"${message}" in:\n${text}`).toBeGreaterThanOrEqual(0);
    from = at + message.length;
  }
}

describe.concurrent('a malformed file is refused: exit 2, line and column named, nothing written', () => {
  it('the corpus has at least 30 files', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((testCase) => testCase.file)).size).toBe(CASES.length);
  });

  for (const testCase of CASES) {
    it(testCase.file, async () => {
      const workspace = prepare(testCase);
      try {
        const before = snapshot(workspace.db);
        const beforeBytes = bytes(workspace.db);
        const result = await workspace.urp(['import', workspace.file]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stdout).toBe('');
        expectInOrder(result.stderr, testCase.errors);
        expectCleanStderr(result);
        // A 1 MB field or a 10,000-column line is not echoed back.
        expect(result.stderr.length).toBeLessThan(3000);
        expect(snapshot(workspace.db)).toBe(before);
        expect(bytes(workspace.db)).toBe(beforeBytes);

        if (testCase.partial) {
          const rejects = join(workspace.dir, testCase.file.endsWith('.csv') ? 'rejects.csv' : 'rejects.jsonl');
          const partial = await workspace.urp(['import', workspace.file, '--skip-invalid', '--rejects', rejects]);
          expect(partial.code, partial.stderr).toBe(3);
          expectInOrder(partial.stderr, testCase.errors);
          expectCleanStderr(partial);
          const { imported, rejected } = testCase.partial;
          expect(partial.stderr).toMatch(new RegExp(`^read \\d+, imported ${imported}, skipped 0, rejected ${rejected}, `, 'm'));
          expect(partial.stderr).toContain(`rejected rows written to ${rejects}`);
          expect(reportCount(workspace.db)).toBe(1 + imported);
          // Each rejected row is in the file with its errors; the file is its owner's only.
          expect(statSync(rejects).mode & 0o777).toBe(0o600);
          const content = readFileSync(rejects, 'utf8');
          const errors = testCase.file.endsWith('.csv')
            ? Papa.parse<Record<string, string>>(content.trim(), { header: true }).data.map((row) => row.errors!)
            : content.trim().split('\n').map((line) => (JSON.parse(line) as { _errors: string })._errors);
          expect(errors).toHaveLength(rejected);
          expectInOrder(errors.join('\n'), testCase.errors);
        }
      } finally {
        workspace.cleanup();
      }
    });
  }
});

describe.concurrent('what the corpus holds that is not an error', () => {
  it('Latin-1: refused with the way to convert it, accepted with --encoding latin1 and stored as UTF-8', async () => {
    const workspace = prepare({ file: 'latin1.csv', errors: [] });
    try {
      const result = await workspace.urp(['import', workspace.file, '--encoding', 'latin1']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^read 1, imported 1, skipped 0, rejected 0, /m);
      expect(query(workspace.db, "select first_name, last_name from citizens where email = 'nicolo.fabbri@example.it'")).toEqual([{ first_name: 'Nicolò', last_name: 'Fabbri' }]);
      expect(query(workspace.db, "select subject, description, location from reports where external_ref = 'L1-1'")).toEqual([
        // 0x80 is the euro sign in Windows-1252, which is what Excel writes.
        { subject: "Costo del parcheggio 5€ all'ora", description: 'Perché così caro?', location: 'Città vecchia' },
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('the same row twice: imported once, skipped once, not an error', async () => {
    const workspace = prepare({ file: 'same-row-twice.csv', errors: [] });
    try {
      const result = await workspace.urp(['import', workspace.file]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^read 3, imported 2, skipped 1, rejected 0, /m);
      expect(query(workspace.db, "select external_ref from reports where external_ref like 'SR-%' order by id")).toEqual([{ external_ref: 'SR-1' }, { external_ref: 'SR-2' }]);
    } finally {
      workspace.cleanup();
    }
  });

  it('SQL-looking text is stored verbatim, and the tables are all there', async () => {
    const workspace = prepare({ file: 'sql-text.csv', errors: [] });
    try {
      const result = await workspace.urp(['import', workspace.file]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^read 2, imported 2, skipped 0, rejected 0, /m);
      expect(query(workspace.db, "select subject, description, location, status from reports where external_ref like 'SQL-%' order by id")).toEqual([
        { subject: "'); DROP TABLE reports; --", description: "1' OR '1'='1", location: "Robert'); DELETE FROM citizens;--", status: 'registered' },
        { subject: "x; UPDATE reports SET status = 'closed' WHERE 1=1", description: '', location: 'Via Roma 1', status: 'registered' },
      ]);
      expect(query(workspace.db, "select last_name from citizens where email = 'o.neill@example.it'")).toEqual([{ last_name: "O'Neill" }]);
      expect(reportCount(workspace.db)).toBe(3);
      expect(query(workspace.db, 'select count(*) as count from citizens')[0]).toEqual({ count: 3 });
    } finally {
      workspace.cleanup();
    }
  });

  it('formula-looking text is stored verbatim and neutralised on export', async () => {
    const workspace = prepare({ file: 'formula-text.csv', errors: [] });
    try {
      const result = await workspace.urp(['import', workspace.file]);
      expect(result.code, result.stderr).toBe(0);
      expect(query(workspace.db, "select subject, description, location from reports where external_ref like 'FX-%' order by id")).toEqual([
        { subject: '=SUM(A1)', description: '=HYPERLINK("http://evil.example";"clic")', location: '@SUM(1+1)' },
        { subject: '+39 chiama subito', description: '-2+3', location: '-5' },
      ]);
      const exported = await workspace.urp(['export']);
      expect(exported.code, exported.stderr).toBe(0);
      const rows = Papa.parse<Record<string, string>>(exported.stdout.trim(), { header: true }).data.filter((row) => row.external_ref?.startsWith('FX-'));
      expect(rows.map((row) => [row.subject, row.description, row.location])).toEqual([
        ["'=SUM(A1)", '\'=HYPERLINK("http://evil.example";"clic")', "'@SUM(1+1)"],
        ["'+39 chiama subito", "'-2+3", '-5'],
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('control characters in free text are stored verbatim (and shown neutralised)', async () => {
    const workspace = prepare({ file: 'control-characters.csv', errors: [] });
    try {
      const rejects = join(workspace.dir, 'rejects.csv');
      expect((await workspace.urp(['import', workspace.file, '--skip-invalid', '--rejects', rejects])).code).toBe(3);
      expect(query(workspace.db, "select subject, description from reports where external_ref = 'CC-3'")).toEqual([
        { subject: 'Buca \u001b[31mrossa\u001b[0m in via Roma', description: 'prima riga\u000bseconda\u007f' },
      ]);
      const listed = await workspace.urp(['report', 'list', '--search', 'CC-3']);
      expect(listed.stdout).toContain('Buca \\x1b[31mrossa\\x1b[0m in via Roma');
      expect(listed.stdout).not.toContain('\u001b');
    } finally {
      workspace.cleanup();
    }
  });
});
