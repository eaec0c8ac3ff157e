import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeSqliteOnly, query, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';

/**
 * Issue 12 item 1 and issue 16 item 5, through bin/urp: search and numbers
 * as clerks type them, and an index that keeps no trace of what an erasure
 * removed (the trigram index stores three-letter pieces of the words: the
 * file is searched for those pieces, before and after).
 */
let workspace: ReturnType<typeof tempWorkspace>;
let urp: ReturnType<typeof urpWith>;
beforeEach(() => {
  workspace = tempWorkspace();
  urp = urpWith(workspace.db);
});
afterEach(() => workspace.cleanup());

const reportOf = (subject: string, person: { first: string; last: string; email: string }, extra: string[] = []) => [
  'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', subject,
  '--first-name', person.first, '--last-name', person.last, '--email', person.email, ...extra,
];

async function registered(args: string[]): Promise<string> {
  const result = await urp(args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

const numbers = async (...args: string[]) => {
  const result = await urp(['report', 'list', '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).map((report: { number: string }) => report.number);
};

/** The database file's bytes (the log folded in first), and the log's if one is left. */
function fileContents(db: string): Buffer {
  const connection = new Database(db);
  try {
    connection.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    connection.close();
  }
  return Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
}

/** The three-letter pieces of a word that the file holds. */
const piecesIn = (contents: Buffer, word: string) => Array.from({ length: word.length - 2 }, (_, index) => word.slice(index, index + 3)).filter((piece) => contents.includes(piece));

describe('search as clerks type it', () => {
  it('finds a number without its year or its zeros, a citizen by name, and acts on "301"-style numbers', async () => {
    const rossi = { first: 'Mario', last: 'Rossi', email: 'mario.rossi@example.it' };
    const dangelo = { first: 'Anna', last: "D'Angelo", email: 'anna@example.it' };
    const first = await registered(reportOf('Lampione spento', rossi));
    const second = await registered(reportOf('Buca in via Roma', dangelo, ['--external-ref', 'PROT-2026-77']));
    expect(first).toBe(`${YEAR}/000001`);
    for (const search of ['1', `${YEAR}/1`, `1/${YEAR}`, `${YEAR}/000001`]) expect(await numbers('--search', search), search).toEqual([first]);
    for (const search of ['Rossi', 'rossi mario', 'Rossi, Mario', 'mario rossi']) expect(await numbers('--search', search), search).toEqual([first]);
    for (const search of ["d'angelo", 'dangelo', 'DANGELO']) expect(await numbers('--search', search), search).toEqual([second]);
    expect(await numbers('--search', 'prot-2026-77')).toEqual([second]);
    expect(await numbers('--search', 'VIA ROMA')).toEqual([second]);
    expect(await numbers('--search', 'fognatura')).toEqual([]);
    // Actions take the short number too: this year's report 2.
    expect((await urp(['area', 'add', 'strade', '--name', 'Strade'])).code).toBe(0);
    expect((await urp(['report', 'assign', '2', '--area', 'strade'])).code).toBe(0);
    expect((await urp(['report', 'ack', '2'])).code).toBe(0);
    expect(JSON.parse((await urp(['report', 'show', '2', '--json'])).stdout)).toMatchObject({ number: second, status: 'acknowledged' });
    expect(JSON.parse((await urp(['citizen', 'find', 'dangelo', '--json'])).stdout).map((citizen: { lastName: string }) => citizen.lastName)).toEqual(["D'Angelo"]);
  });
});

describe('an import of many chunks', () => {
  it('is searchable from its first row to its last, and the next report new takes the next number', async () => {
    // 1,250 rows: more than two of the import's chunks of 500, each a report with a word of its own at either end and in the middle.
    const rows = Array.from({ length: 1_250 }, (_, index) => {
      const word = index === 0 ? 'Primissimo' : index === 624 ? 'Mediano' : index === 1_249 ? 'Ultimissimo' : 'Lampione';
      return `problem,phone,${YEAR}-03-02T09:00,Anna,Neri${index % 7},anna${index % 7}@example.it,${word} spento,,OLD-${index}`;
    });
    const file = join(workspace.dir, 'storico.csv');
    writeFileSync(file, ['type,channel,received_at,first_name,last_name,email,subject,description,external_ref', ...rows].join('\n'));
    const imported = await urp(['import', file]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/imported 1250,/);
    expect(await numbers('--search', 'primissimo')).toEqual([`${YEAR}/000001`]);
    expect(await numbers('--search', 'mediano')).toEqual([`${YEAR}/000625`]);
    expect(await numbers('--search', 'ultimissimo')).toEqual([`${YEAR}/001250`]);
    expect(await numbers('--search', 'lampione')).toHaveLength(1_247);
    expect(await numbers('--search', 'OLD-1249')).toEqual([`${YEAR}/001250`]);
    const next = await registered(reportOf('Fontana rotta', { first: 'Mario', last: 'Rossi', email: 'mario.rossi@example.it' }));
    expect(next).toBe(`${YEAR}/001251`);
    expect(await numbers('--search', 'fontana')).toEqual([next]);
  });
});

describeSqliteOnly("the file's bytes")('the search index after an erasure', () => {
  // Names and words whose three-letter pieces appear nowhere else in the register.
  const person = { first: 'Kvwqt', last: 'Jzzyxq', email: 'kvwqt@example.it' };
  const SUBJECT = 'Qxqjv pericolante';

  it("keeps none of an erased citizen's name, nor of a redacted subject", async () => {
    const number = await registered(reportOf(SUBJECT, person));
    expect((await urp(['report', 'reject', number, '--reason', 'Doppione'])).code).toBe(0);
    const kept = await registered(reportOf('Qxqjv secondo', { first: 'Paolo', last: 'Ferrari', email: 'paolo@example.it' }));
    expect(await numbers('--search', 'jzzyxq')).toEqual([number]);
    const id = query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', person.email)[0]!.id;
    // The pieces are in the file before (in the index, and in the rows): the search below can see them.
    const before = fileContents(workspace.db);
    expect(piecesIn(before, 'jzzyxq').length).toBeGreaterThan(0);
    expect(piecesIn(before, 'kvwqt').length).toBeGreaterThan(0);

    const erased = await urp(['citizen', 'erase', String(id), '--yes']);
    expect(erased.code, erased.stderr).toBe(0);
    let after = fileContents(workspace.db);
    expect(piecesIn(after, 'jzzyxq')).toEqual([]);
    expect(piecesIn(after, 'kvwqt')).toEqual([]);
    expect(await numbers('--search', 'jzzyxq')).toEqual([]);
    expect(await numbers('--search', `ANON-${String(id).padStart(6, '0')}`)).toEqual([number]);
    // The subject is still there (the texts were not redacted) and still found.
    expect(await numbers('--search', 'qxqjv')).toEqual([kept, number]);
    expect(piecesIn(after, 'pericolante').length).toBeGreaterThan(0);

    // Erasing another with --redact-texts blanks their subject: gone from the index and from the file.
    const other = await registered(reportOf('Wqyzk crollato', { first: 'Luca', last: 'Bassi', email: 'luca@example.it' }));
    expect((await urp(['report', 'reject', other, '--reason', 'Doppione'])).code).toBe(0);
    expect(piecesIn(fileContents(workspace.db), 'wqyzk').length).toBeGreaterThan(0);
    const luca = query<{ id: number }>(workspace.db, 'select id from citizens where email = ?', 'luca@example.it')[0]!.id;
    expect((await urp(['citizen', 'erase', String(luca), '--redact-texts', '--yes'])).code).toBe(0);
    after = fileContents(workspace.db);
    expect(piecesIn(after, 'wqyzk')).toEqual([]);
    expect(await numbers('--search', 'wqyzk')).toEqual([]);
    expect((await urp(['db', 'check'])).code).toBe(0);
  });
});
