import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URP_BIN, copyDatabase, query, snapshot, tempWorkspace, urpWith, addAreasAndCategories } from '../helpers/cli.js';

/**
 * Issue 5, the happy paths: Italian and English spreadsheets, JSON and JSON
 * Lines in; dry run, skip-invalid, idempotence, citizens matched, a previous
 * register migrated with its history; export in CSV, JSON, JSONL and Open311
 * out, formulas neutralised; and a round trip that gives back the same
 * reports.
 */

const SUMMARY = /^read (\d+), imported (\d+), skipped (\d+), rejected (\d+), (\d+\.\d{2}) s, (\d+) rows\/s$/m;

function summary(stderr: string) {
  const match = SUMMARY.exec(stderr);
  expect(match, stderr).not.toBeNull();
  const [read, imported, skipped, rejected] = match!.slice(1, 5).map(Number);
  return { read, imported, skipped, rejected };
}


// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

/** Two areas and two categories, created through the CLI once; each test imports into its own copy. */
let base: ReturnType<typeof tempWorkspace>;
beforeAll(async () => {
  base = tempWorkspace();
  const urp = urpWith(base.db);
  await addAreasAndCategories(urp);
});
afterAll(() => base.cleanup());

function fresh() {
  const workspace = tempWorkspace();
  copyDatabase(base.db, workspace.db);
  const write = (name: string, content: string | Buffer) => {
    const path = join(workspace.dir, name);
    writeFileSync(path, content);
    return path;
  };
  return { ...workspace, urp: urpWith(workspace.db), write };
}

/** As a clerk's Excel saves it: BOM, `;`, CRLF, Italian headers (with a space and a dash), a quoted description over three lines, Italian dates. */
const ITALIAN_CSV =
  '\uFEFFTipo;Canale;Data;Nome;Cognome;Codice fiscale;E-mail;Telefono;Indirizzo;Oggetto;Descrizione;Categoria;Luogo;Riferimento\r\n' +
  'segnalazione;telefono;20/11/2026 09:30;Anna;Bianchi;BNCNNA85C43F205K;anna.bianchi@example.it;;;Cassonetto pieno;"Il cassonetto è pieno da giorni;\nnon viene svuotato.\nGrazie ""mille""";rifiuti;Piazza Garibaldi;PROT-2026-1\r\n' +
  'reclamo;sportello;21/11/2026 10:15;Anna;Bianchi;bncnna85c43f205k;a.bianchi@lavoro.example.it;;;Raccolta saltata;;Rifiuti;Via Manzoni 3;PROT-2026-2\r\n' +
  'suggerimento;e-mail;3/11/2026;Nicolò;Fabbri;;nicolo.fabbri@example.it;;Via Dante 4, Valdoria;Più panchine nel parco;;;;PROT-2026-3\r\n';

const ENGLISH_CSV = [
  'type,channel,received_at,first_name,last_name,tax_code,email,phone,address,subject,description,category,location,external_ref',
  'problem,phone,2026-11-20T09:30,Mario,Rossi,RSSMRA70E12H501G,mario.rossi@example.it,,,Pothole in via Roma,"Deep, dangerous",buche,Via Roma 1,EN-1',
  'complaint,web,2026-11-20T08:30:00Z,Luca,Ferrari,,luca.ferrari@example.it,3331112222,,Bins not emptied,,rifiuti,,EN-2',
  'suggestion,pec,2026-11-21T10:00:00+01:00,Luca,Ferrari,,,+39 333 111 2222,,More benches,,,,EN-3',
].join('\n');

const jsonRecords = [
  { type: 'problem', channel: 'email', receivedAt: '2026-11-18T11:00', firstName: 'Giulia', lastName: 'Esposito', taxCode: 'SPSGLI90A55F839P', email: 'giulia.esposito@example.it', subject: 'Lampione spento', category: 'buche', location: 'Via Verdi 2', externalRef: 'J-1' },
  { type: 'complaint', channel: 'counter', receivedAt: '18/11/2026 12:00', firstName: 'Giulia', lastName: 'Esposito', email: 'giulia.esposito@example.it', subject: 'Nessuna risposta', description: 'Prima riga\nseconda riga', externalRef: 'J-2' },
];

describe.concurrent('urp import', () => {
  it('reads an Italian spreadsheet: BOM, ";", CRLF, quoted line breaks, Italian headers and dates', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write('segnalazioni.csv', ITALIAN_CSV);
      const result = await workspace.urp(['import', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(summary(result.stderr)).toEqual({ read: 3, imported: 3, skipped: 0, rejected: 0 });
      expect(result.stderr).toMatch(/^read 3, imported 3, skipped 0, rejected 0, \d+\.\d{2} s, \d+ rows\/s$/m);
      expect(
        query(
          workspace.db,
          `select r.type, r.channel, r.received_at, r.subject, r.description, c.code as category, r.location, r.external_ref, r.status, r.citizen_id
           from reports r left join categories c on c.id = r.category_id order by r.id`,
        ),
      ).toEqual([
        { type: 'problem', channel: 'phone', received_at: '2026-11-20T08:30:00.000Z', subject: 'Cassonetto pieno', description: 'Il cassonetto è pieno da giorni;\nnon viene svuotato.\nGrazie "mille"', category: 'rifiuti', location: 'Piazza Garibaldi', external_ref: 'PROT-2026-1', status: 'registered', citizen_id: 1 },
        { type: 'complaint', channel: 'counter', received_at: '2026-11-21T09:15:00.000Z', subject: 'Raccolta saltata', description: '', category: 'rifiuti', location: 'Via Manzoni 3', external_ref: 'PROT-2026-2', status: 'registered', citizen_id: 1 },
        // A date alone is the start of that day in Rome.
        { type: 'suggestion', channel: 'email', received_at: '2026-11-02T23:00:00.000Z', subject: 'Più panchine nel parco', description: '', category: null, location: null, external_ref: 'PROT-2026-3', status: 'registered', citizen_id: 2 },
      ]);
      expect(query(workspace.db, 'select first_name, last_name, tax_code, email, address from citizens order by id')).toEqual([
        { first_name: 'Anna', last_name: 'Bianchi', tax_code: 'BNCNNA85C43F205K', email: 'anna.bianchi@example.it', address: null },
        { first_name: 'Nicolò', last_name: 'Fabbri', tax_code: null, email: 'nicolo.fabbri@example.it', address: 'Via Dante 4, Valdoria' },
      ]);
      // Every report has its registration event, recorded as coming from the import.
      expect(query(workspace.db, 'select kind, source, operator from report_events order by id')).toEqual(
        Array.from({ length: 3 }, () => ({ kind: 'registered', source: 'import', operator: 'test-clerk' })),
      );
    } finally {
      workspace.cleanup();
    }
  });

  it('reads an English CSV: ",", ISO dates with and without offset', async () => {
    const workspace = fresh();
    try {
      const result = await workspace.urp(['import', workspace.write('reports.csv', ENGLISH_CSV)]);
      expect(result.code, result.stderr).toBe(0);
      expect(summary(result.stderr)).toEqual({ read: 3, imported: 3, skipped: 0, rejected: 0 });
      expect(query(workspace.db, 'select type, channel, received_at, subject, description, external_ref, citizen_id from reports order by id')).toEqual([
        { type: 'problem', channel: 'phone', received_at: '2026-11-20T08:30:00.000Z', subject: 'Pothole in via Roma', description: 'Deep, dangerous', external_ref: 'EN-1', citizen_id: 1 },
        { type: 'complaint', channel: 'web', received_at: '2026-11-20T08:30:00.000Z', subject: 'Bins not emptied', description: '', external_ref: 'EN-2', citizen_id: 2 },
        // Luca again, with no tax code and no e-mail: matched by his phone and name from the row before.
        { type: 'suggestion', channel: 'pec', received_at: '2026-11-21T09:00:00.000Z', subject: 'More benches', description: '', external_ref: 'EN-3', citizen_id: 2 },
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('reads a JSON array and JSON Lines with the camelCase fields; the same refs are then skipped', async () => {
    const workspace = fresh();
    try {
      const json = workspace.write('reports.json', JSON.stringify(jsonRecords, null, 2));
      const first = await workspace.urp(['import', json]);
      expect(first.code, first.stderr).toBe(0);
      expect(summary(first.stderr)).toEqual({ read: 2, imported: 2, skipped: 0, rejected: 0 });
      const lines = workspace.write('reports.jsonl', `${jsonRecords.map((record) => JSON.stringify(record)).join('\n')}\n${JSON.stringify({ ...jsonRecords[0], externalRef: 'J-3', subject: 'Terzo' })}\n`);
      const second = await workspace.urp(['import', lines]);
      expect(second.code, second.stderr).toBe(0);
      expect(summary(second.stderr)).toEqual({ read: 3, imported: 1, skipped: 2, rejected: 0 });
      // --format says what the extension does not.
      const renamed = workspace.write('reports.txt', JSON.stringify([{ ...jsonRecords[1], externalRef: 'J-4' }]));
      const third = await workspace.urp(['import', renamed, '--format', 'json']);
      expect(third.code, third.stderr).toBe(0);
      expect(query(workspace.db, 'select external_ref, received_at, subject, description, citizen_id from reports order by id')).toEqual([
        { external_ref: 'J-1', received_at: '2026-11-18T10:00:00.000Z', subject: 'Lampione spento', description: '', citizen_id: 1 },
        { external_ref: 'J-2', received_at: '2026-11-18T11:00:00.000Z', subject: 'Nessuna risposta', description: 'Prima riga\nseconda riga', citizen_id: 1 },
        { external_ref: 'J-3', received_at: '2026-11-18T10:00:00.000Z', subject: 'Terzo', description: '', citizen_id: 1 },
        { external_ref: 'J-4', received_at: '2026-11-18T11:00:00.000Z', subject: 'Nessuna risposta', description: 'Prima riga\nseconda riga', citizen_id: 1 },
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('--dry-run checks everything, says what would happen and writes nothing', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write('segnalazioni.csv', ITALIAN_CSV);
      const before = snapshot(workspace.db);
      const result = await workspace.urp(['import', file, '--dry-run']);
      expect(result.code, result.stderr).toBe(0);
      expect(summary(result.stderr)).toEqual({ read: 3, imported: 3, skipped: 0, rejected: 0 });
      expect(result.stderr).toContain('dry run: nothing was written');
      expect(snapshot(workspace.db)).toBe(before);
      // With a bad row: the errors, exit 2, still nothing written.
      const bad = workspace.write('bad.csv', ITALIAN_CSV.replace('21/11/2026 10:15', '31/11/2026 10:15'));
      const refused = await workspace.urp(['import', bad, '--dry-run']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('line 5, field Data: 31/11/2026 does not exist: that month has 30 days');
      expect(snapshot(workspace.db)).toBe(before);
    } finally {
      workspace.cleanup();
    }
  });

  it('--skip-invalid --rejects F writes the good rows, puts each bad one with its error in F, exits 3', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write(
        'mixed.csv',
        [
          'type,channel,received_at,first_name,last_name,email,subject,external_ref',
          'problem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,Buca,S-1',
          'problem,phone',
          'problem,telegraph,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,Buca,S-2',
          'problem,phone,2026-11-20T09:30,Anna,Bianchi,anna.bianchi@@example.it,Cassonetto,S-3',
          'complaint,email,2026-11-21T10:00,Mario,Rossi,mario.rossi@example.it,Ritardo,S-4',
        ].join('\n'),
      );
      expect((await workspace.urp(['import', file, '--skip-invalid'])).stderr).toContain('--skip-invalid needs --rejects FILE');
      const rejects = join(workspace.dir, 'rejects.csv');
      const result = await workspace.urp(['import', file, '--skip-invalid', '--rejects', rejects]);
      expect(result.code, result.stderr).toBe(3);
      expect(summary(result.stderr)).toEqual({ read: 5, imported: 2, skipped: 0, rejected: 3 });
      expect(result.stderr).toContain('line 3: 2 fields where the header has 8');
      expect(result.stderr).toContain('line 4, field channel: "telegraph" is not a channel');
      expect(result.stderr).toContain('line 5, field email: not an e-mail address (name@domain, e.g. ufficio.urp@comune.it)');
      expect(result.stderr).toContain(`rejected rows written to ${rejects}`);
      expect(query(workspace.db, 'select external_ref from reports order by id')).toEqual([{ external_ref: 'S-1' }, { external_ref: 'S-4' }]);
      const rejected = Papa.parse<Record<string, string>>(readFileSync(rejects, 'utf8').trim(), { header: true }).data;
      expect(rejected).toEqual([
        // A line that cannot be read keeps its place, under the file's own header.
        { type: '', channel: '', received_at: '', first_name: '', last_name: '', email: '', subject: '', external_ref: '', errors: 'line 3: 2 fields where the header has 8' },
        { type: 'problem', channel: 'telegraph', received_at: '2026-11-20T09:30', first_name: 'Mario', last_name: 'Rossi', email: 'mario.rossi@example.it', subject: 'Buca', external_ref: 'S-2', errors: 'line 4, field channel: "telegraph" is not a channel (phone, paper, email, pec, counter, web)' },
        { type: 'problem', channel: 'phone', received_at: '2026-11-20T09:30', first_name: 'Anna', last_name: 'Bianchi', email: 'anna.bianchi@@example.it', subject: 'Cassonetto', external_ref: 'S-3', errors: 'line 5, field email: not an e-mail address (name@domain, e.g. ufficio.urp@comune.it)' },
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('reads a CSV whose header ends in CRLF and rows in LF, and CRLF split between two reads, line by line', async () => {
    const workspace = fresh();
    try {
      const header = 'type,channel,received_at,first_name,last_name,email,subject';
      const row = (index: number, subject = `Buca ${index}`) => `problem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,${subject}`;
      // Edited on two systems: before, the whole file was one record ("line 1: 13 fields where the header has 7").
      const mixed = await workspace.urp(['import', workspace.write('mixed-breaks.csv', `${header}\r\n${row(1)}\n${row(2)}\n`)]);
      expect(mixed.code, mixed.stderr).toBe(0);
      expect(summary(mixed.stderr)).toEqual({ read: 2, imported: 2, skipped: 0, rejected: 0 });

      // CRLF throughout, a CR the last byte of the first 64 KiB read and its LF the first of the next.
      let text = `${header}\r\n`;
      let index = 3;
      while (text.length + row(index).length + 2 < 65_536 - 200) text += `${row(index++)}\r\n`;
      const padding = 65_536 - 1 - text.length - row(index, '').length;
      text += `${row(index++, 'P'.repeat(padding))}\r\n`;
      expect(text.lastIndexOf('\r')).toBe(65_535);
      for (let more = 0; more < 20; more++) text += `${row(index++)}\r\n`;
      text += 'problem,telegraph,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,Ultima\r\n';
      const file = workspace.write('crlf.csv', text);
      const refused = await workspace.urp(['import', file]);
      expect(refused.code).toBe(2);
      const lines = text.split('\r\n').length - 1;
      expect(refused.stderr).toContain(`line ${lines}, field channel: "telegraph" is not a channel`);
      expect(refused.stderr).not.toMatch(/fields where the header has/);
      const subjects = query<{ subject: string }>(workspace.db, 'select subject from reports order by id').map((report) => report.subject);
      expect(subjects).toEqual(['Buca 1', 'Buca 2']);
    } finally {
      workspace.cleanup();
    }
  });

  it('names the right line of a bad row past the first few hundred, counting blank lines and quoted line breaks', async () => {
    const workspace = fresh();
    try {
      const lines = ['type;channel;received_at;first_name;last_name;email;subject;description'];
      for (let index = 0; index < 1_200; index++) {
        lines.push(`problem;phone;2026-11-20T09:30;Mario;Rossi;mario.rossi@example.it;Buca ${index};"prima riga\nseconda riga"`);
        if (index % 300 === 0) lines.push('', '   ', ';;;;;;;');
      }
      lines.push('problem;telegraph;2026-11-20T09:30;Mario;Rossi;mario.rossi@example.it;Ultima;x');
      const text = `${lines.join('\n')}\n`;
      const result = await workspace.urp(['import', workspace.write('long.csv', text)]);
      expect(result.code).toBe(2);
      // Before, past the importer's first pause (500 rows) every row was said to be on line 501.
      expect(result.stderr).toContain(`line ${text.split('\n').length - 1}, field channel: "telegraph" is not a channel`);
      expect(summary(result.stderr)).toEqual({ read: 1_201, imported: 0, skipped: 0, rejected: 1 });
    } finally {
      workspace.cleanup();
    }
  });

  it('--rejects F keeps an earlier F when the import cannot start (a mistyped path, a bad header), and replaces it once a file is read', async () => {
    const workspace = fresh();
    try {
      const rejects = join(workspace.dir, 'rejects.csv');
      const earlier = 'type,errors\nproblem,line 2: kept from yesterday\n';
      writeFileSync(rejects, earlier);
      const mistyped = await workspace.urp(['import', join(workspace.dir, 'segnalazioni-ieri.csv'), '--skip-invalid', '--rejects', rejects]);
      expect(mistyped.code).toBe(2);
      const badHeader = workspace.write('bad-header.csv', 'tipo,colore\nproblem,rosso\n');
      expect((await workspace.urp(['import', badHeader, '--skip-invalid', '--rejects', rejects])).code).toBe(2);
      expect(readFileSync(rejects, 'utf8')).toBe(earlier);
      expect(readdirSync(workspace.dir).filter((name) => name.includes('.tmp'))).toEqual([]);

      const good = workspace.write('good.csv', 'type,channel,received_at,first_name,last_name,email,subject\nproblem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,Buca\n');
      const read = await workspace.urp(['import', good, '--skip-invalid', '--rejects', rejects]);
      expect(read.code, read.stderr).toBe(0);
      // Read, with no bad row: an empty rejects file, not yesterday's.
      expect(readFileSync(rejects, 'utf8')).toBe('');
      expect(statSync(rejects).mode & 0o777).toBe(0o600);
    } finally {
      workspace.cleanup();
    }
  });

  it('--rejects F that cannot be put in place once the import is written: exit 1, the rows imported, the rejected ones kept beside F and named', async () => {
    const workspace = fresh();
    try {
      const rejects = join(workspace.dir, 'rejects.csv');
      // The file arrives on standard input, a row at a time, so that F's folder can change while it is read.
      const child = spawn(process.execPath, [URP_BIN, '--db', workspace.db, 'import', '-', '--skip-invalid', '--rejects', rejects], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.stdin.write('type,channel,received_at,first_name,last_name,email,subject\nproblem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,Buca\n');
      const aside = () => readdirSync(workspace.dir).filter((name) => name.startsWith('rejects.csv.') && name.endsWith('.tmp'));
      while (aside().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Someone makes F a folder of their own meanwhile: the rename cannot replace it.
      mkdirSync(rejects);
      writeFileSync(join(rejects, 'theirs.txt'), 'not urp\n');
      child.stdin.end('problem,phone,2026-11-20T09:30,Anna,Neri,anna.neri@example.it,\n');
      const code = await closed;
      const [kept] = aside();
      expect(code, stderr).toBe(1);
      expect(summary(stderr)).toEqual({ read: 2, imported: 1, skipped: 0, rejected: 1 });
      expect(stderr).toContain(`the rejected rows could not be put at ${rejects} (did its folder change during the import?): they are in ${join(workspace.dir, kept!)}`);
      expect(stderr).not.toMatch(/rejected rows written to/);
      expect(readFileSync(join(workspace.dir, kept!), 'utf8')).toMatch(/^type,channel,received_at,first_name,last_name,email,subject,errors\nproblem,phone,2026-11-20T09:30,Anna,Neri,anna\.neri@example\.it,,"line 3, field subject: /);
      expect(query(workspace.db, 'select subject from reports')).toEqual([{ subject: 'Buca' }]);
      expect(readdirSync(rejects)).toEqual(['theirs.txt']);
    } finally {
      workspace.cleanup();
    }
  });

  it('is idempotent: the same file again imports nothing new, counts the rows as skipped, changes nothing', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write('segnalazioni.csv', ITALIAN_CSV);
      expect((await workspace.urp(['import', file])).code).toBe(0);
      const after = snapshot(workspace.db);
      const again = await workspace.urp(['import', file, '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(summary(again.stderr)).toEqual({ read: 3, imported: 0, skipped: 3, rejected: 0 });
      expect(JSON.parse(again.stdout)).toMatchObject({ read: 3, imported: 0, skipped: 3, rejected: 0, citizensCreated: 0, dryRun: false, errorCount: 0 });
      expect(snapshot(workspace.db)).toBe(after);
    } finally {
      workspace.cleanup();
    }
  });

  it('a person on many rows becomes one citizen: matched by tax code, then e-mail, then phone', async () => {
    const workspace = fresh();
    try {
      expect((await workspace.urp(['citizen', 'add', '--first-name', 'Sara', '--last-name', 'Colombo', '--email', 'sara.colombo@example.it'])).code).toBe(0);
      const file = workspace.write(
        'people.csv',
        [
          'type,channel,received_at,first_name,last_name,tax_code,email,phone,subject,external_ref',
          'problem,phone,2026-11-20T09:30,Giulia,Esposito,SPSGLI90A55F839P,giulia.esposito@example.it,3331112222,Uno,P-1',
          // The same tax code (lower case) with another e-mail.
          'problem,phone,2026-11-20T09:40,Giulia,Esposito,spsgli90a55f839p,g.esposito@lavoro.example.it,,Due,P-2',
          // No tax code: the e-mail (in capitals).
          'problem,phone,2026-11-21T09:00,Giulia,Esposito,,GIULIA.ESPOSITO@example.it,,Tre,P-3',
          // Only the phone, written otherwise, and the same name: the same person.
          'problem,phone,2026-11-21T10:00,giulia,ESPOSITO,,,+39 333 111 2222,Quattro,P-4',
          // The same phone and surname, another first name: her brother, who must give a contact of his own.
          'problem,phone,2026-11-21T10:15,Luca,Esposito,,,3331112222,Quattro bis,P-4b',
          // The same phone with another surname: refused too (one citizen, one identity).
          'problem,phone,2026-11-21T10:30,Sara,Colombo,,,3331112222,Cinque,P-5',
          // A citizen already in the database, by e-mail: the phone she did not have is added.
          'problem,phone,2026-11-21T11:00,Sara,Colombo,,sara.colombo@example.it,3339998888,Sei,P-6',
        ].join('\n'),
      );
      const refused = await workspace.urp(['import', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('line 6, field phone: belongs to the person of line 2, who has another name');
      expect(refused.stderr).toContain('line 7, field phone: belongs to the person of line 2, who has another name');
      const rejects = join(workspace.dir, 'rejects.csv');
      const result = await workspace.urp(['import', file, '--skip-invalid', '--rejects', rejects]);
      expect(result.code, result.stderr).toBe(3);
      expect(query(workspace.db, 'select external_ref, citizen_id from reports order by id').map((row) => `${row.external_ref}:${row.citizen_id}`)).toEqual([
        'P-1:2', 'P-2:2', 'P-3:2', 'P-4:2', 'P-6:1',
      ]);
      expect(query(workspace.db, 'select id, first_name, last_name, tax_code, email, phone from citizens order by id')).toEqual([
        { id: 1, first_name: 'Sara', last_name: 'Colombo', tax_code: null, email: 'sara.colombo@example.it', phone: '+393339998888' },
        { id: 2, first_name: 'Giulia', last_name: 'Esposito', tax_code: 'SPSGLI90A55F839P', email: 'giulia.esposito@example.it', phone: '+393331112222' },
      ]);
      // The contact added is in the audit log by field name, without its value.
      expect(query(workspace.db, "select kind, subject, text from audit_events where subject = 'citizen:1' order by id")).toEqual([
        { kind: 'citizen_updated', subject: 'citizen:1', text: 'phone' },
      ]);
    } finally {
      workspace.cleanup();
    }
  });

  it('migrates a previous register: numbers kept, the sequence moves past them, milestones become import events', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write(
        'registro.csv',
        [
          'number,status,type,channel,received_at,first_name,last_name,email,subject,category,area,assigned_at,acknowledged_at,answered_at,reply_text,outcome,closed_at,rejected_at,external_ref',
          '2026/000040,closed,problem,email,2026-09-01T09:00,Luca,Ferrari,luca.ferrari@example.it,Lampione spento,buche,strade,2026-09-01T12:00,2026-09-02T09:00,2026-09-10T15:00,Lampione riparato,resolved,2026-09-12T10:00,,H-40',
          '2026/000042,acknowledged,complaint,phone,2026-09-05T09:00,Luca,Ferrari,luca.ferrari@example.it,Cassonetto rotto,rifiuti,ambiente,2026-09-05T10:00,2026-09-06T09:00,,,,,,H-42',
          // Answered without an acknowledgement date: the reply implies it.
          '2026/000041,answered,problem,email,2026-09-03T09:00,Luca,Ferrari,luca.ferrari@example.it,Marciapiede,buche,strade,,,2026-09-20T15:00,"Intervento programmato, grazie",information,,,H-41',
          '2025/000123,rejected,suggestion,counter,2025-12-30T11:00,Luca,Ferrari,luca.ferrari@example.it,Panchine,,,,,,,,,2025-12-31T09:00,H-123',
          ',,problem,web,2026-11-02T09:00,Luca,Ferrari,luca.ferrari@example.it,Senza numero,,,,,,,,,,H-X',
        ].join('\n'),
      );
      const result = await workspace.urp(['import', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(summary(result.stderr)).toEqual({ read: 5, imported: 5, skipped: 0, rejected: 0 });
      expect(
        query(
          workspace.db,
          `select r.number, r.status, a.code as area, r.received_at, r.registered_at, r.assigned_at, r.acknowledged_at, r.answered_at, r.closed_at, r.rejected_at, r.outcome
           from reports r left join areas a on a.id = r.area_id where r.external_ref != 'H-X' order by r.id`,
        ),
      ).toEqual([
        { number: '2026/000040', status: 'closed', area: 'strade', received_at: '2026-09-01T07:00:00.000Z', registered_at: '2026-09-01T07:00:00.000Z', assigned_at: '2026-09-01T10:00:00.000Z', acknowledged_at: '2026-09-02T07:00:00.000Z', answered_at: '2026-09-10T13:00:00.000Z', closed_at: '2026-09-12T08:00:00.000Z', rejected_at: null, outcome: 'resolved' },
        { number: '2026/000042', status: 'acknowledged', area: 'ambiente', received_at: '2026-09-05T07:00:00.000Z', registered_at: '2026-09-05T07:00:00.000Z', assigned_at: '2026-09-05T08:00:00.000Z', acknowledged_at: '2026-09-06T07:00:00.000Z', answered_at: null, closed_at: null, rejected_at: null, outcome: null },
        { number: '2026/000041', status: 'answered', area: 'strade', received_at: '2026-09-03T07:00:00.000Z', registered_at: '2026-09-03T07:00:00.000Z', assigned_at: '2026-09-03T07:00:00.000Z', acknowledged_at: '2026-09-20T13:00:00.000Z', answered_at: '2026-09-20T13:00:00.000Z', closed_at: null, rejected_at: null, outcome: 'information' },
        { number: '2025/000123', status: 'rejected', area: null, received_at: '2025-12-30T10:00:00.000Z', registered_at: '2025-12-30T10:00:00.000Z', assigned_at: null, acknowledged_at: null, answered_at: null, closed_at: null, rejected_at: '2025-12-31T08:00:00.000Z', outcome: null },
      ]);
      // A row without a number is registered now: it takes the year's next one, past those the file gave.
      const year = new Date().getFullYear();
      expect(query(workspace.db, "select number from reports where external_ref = 'H-X'")).toEqual([{ number: year === 2026 ? '2026/000043' : `${year}/000001` }]);
      expect(query(workspace.db, 'select year, last_value from report_sequences order by year')).toEqual([
        { year: 2025, last_value: 123 },
        { year: 2026, last_value: year === 2026 ? 43 : 42 },
        ...(year === 2026 ? [] : [{ year, last_value: 1 }]),
      ]);
      const events = (number: string) =>
        query<{ kind: string; from_status: string | null; to_status: string; occurred_at: string; source: string }>(
          workspace.db,
          'select kind, from_status, to_status, occurred_at, source from report_events where report_id = (select id from reports where number = ?) order by id',
          number,
        );
      expect(events('2026/000040')).toEqual([
        { kind: 'registered', from_status: null, to_status: 'registered', occurred_at: '2026-09-01T07:00:00.000Z', source: 'import' },
        { kind: 'assigned', from_status: 'registered', to_status: 'assigned', occurred_at: '2026-09-01T10:00:00.000Z', source: 'import' },
        { kind: 'acknowledged', from_status: 'assigned', to_status: 'acknowledged', occurred_at: '2026-09-02T07:00:00.000Z', source: 'import' },
        { kind: 'answered', from_status: 'acknowledged', to_status: 'answered', occurred_at: '2026-09-10T13:00:00.000Z', source: 'import' },
        { kind: 'closed', from_status: 'answered', to_status: 'closed', occurred_at: '2026-09-12T08:00:00.000Z', source: 'import' },
      ]);
      expect(events('2025/000123').map((event) => [event.kind, event.occurred_at])).toEqual([
        ['registered', '2025-12-30T10:00:00.000Z'],
        ['rejected', '2025-12-31T08:00:00.000Z'],
      ]);
      expect(query(workspace.db, 'select count(*) as count from report_events where source != ?', 'import')).toEqual([{ count: 0 }]);
      expect(query(workspace.db, 'select r.number, p.text, p.outcome, p.sent_at from replies p join reports r on r.id = p.report_id order by p.id')).toEqual([
        { number: '2026/000040', text: 'Lampione riparato', outcome: 'resolved', sent_at: '2026-09-10T13:00:00.000Z' },
        { number: '2026/000041', text: 'Intervento programmato, grazie', outcome: 'information', sent_at: '2026-09-20T13:00:00.000Z' },
      ]);
      const shown = JSON.parse((await workspace.urp(['report', 'show', '2026/000040', '--json'])).stdout);
      expect(shown.status).toBe('closed');
      // A report registered afterwards takes the year's next number.
      const next = await workspace.urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Dopo la migrazione', '--citizen', '1']);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stdout.trim()).toBe(year === 2026 ? '2026/000044' : `${year}/000002`);
    } finally {
      workspace.cleanup();
    }
  });

  it('a disabled category takes no new reports (as in report new), while history may still name it', async () => {
    const workspace = fresh();
    try {
      const disabled = await workspace.urp(['category', 'disable', 'buche']);
      expect(disabled.code).toBe(0);
      expect(disabled.stderr).toContain('Category buche disabled');
      const header = 'type,channel,received_at,first_name,last_name,email,subject,category,status';
      const fresh1 = workspace.write('nuova.csv', [header, 'problem,phone,2026-11-02T09:00,Anna,Neri,anna.neri@example.it,Buca,buche,'].join('\n'));
      const refused = await workspace.urp(['import', fresh1]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('line 2, field category: category "buche" is disabled');
      // With its status given, or told by its milestones alone.
      const history = workspace.write('storico.csv', [
        header + ',rejected_at,external_ref',
        'problem,phone,2026-03-02T09:00,Anna,Neri,anna.neri@example.it,Buca,buche,rejected,2026-03-03T09:00,S-1',
        'problem,phone,2026-03-04T09:00,Anna,Neri,anna.neri@example.it,Buca,buche,,2026-03-05T09:00,S-2',
      ].join('\n'));
      const imported = await workspace.urp(['import', history]);
      expect(imported.code, imported.stderr).toBe(0);
    } finally {
      workspace.cleanup();
    }
  });

  it('a number the file gives wins over the one an earlier row without a number was about to take', async () => {
    const workspace = fresh();
    try {
      const year = new Date().getFullYear();
      const file = workspace.write(
        'misto.csv',
        [
          'number,type,channel,received_at,first_name,last_name,email,subject,external_ref',
          `,problem,phone,${year}-01-02T09:00,Anna,Neri,anna.neri@example.it,Lampione spento,D-1`,
          // The same receipt and subject from someone else: another report, not the one above again.
          `${year}/000001,problem,phone,${year}-01-02T09:00,Mario,Bruni,mario.bruni@example.it,Lampione spento,D-2`,
          `,problem,phone,${year}-01-02T11:00,Anna,Neri,anna.neri@example.it,Secondo senza numero,D-3`,
        ].join('\n'),
      );
      const dry = await workspace.urp(['import', file, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      const result = await workspace.urp(['import', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(summary(result.stderr)).toEqual({ read: 3, imported: 3, skipped: 0, rejected: 0 });
      expect(query(workspace.db, 'select external_ref, number, sequence from reports order by external_ref')).toEqual([
        { external_ref: 'D-1', number: `${year}/000002`, sequence: 2 },
        { external_ref: 'D-2', number: `${year}/000001`, sequence: 1 },
        { external_ref: 'D-3', number: `${year}/000003`, sequence: 3 },
      ]);
      expect(query(workspace.db, 'select year, last_value from report_sequences')).toEqual([{ year, last_value: 3 }]);
      const check = await workspace.urp(['db', 'check']);
      expect(check.code, check.stdout).toBe(0);
      // A number the database held before the import is still refused.
      const clash = workspace.write('doppio.csv', ['number,type,channel,received_at,first_name,last_name,email,subject', `${year}/000003,problem,phone,${year}-01-03T09:00,Anna,Neri,anna.neri@example.it,Altro oggetto`].join('\n'));
      const refused = await workspace.urp(['import', clash]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`line 2, field number: number ${year}/000003 is already used`);
    } finally {
      workspace.cleanup();
    }
  });
});

// ---------------------------------------------------------------------------
// Export, Open311, round trip: one demo database, only read
// ---------------------------------------------------------------------------

const EXPORT_COLUMNS = [
  'type', 'channel', 'received_at', 'first_name', 'last_name', 'tax_code', 'email', 'phone', 'address', 'subject', 'description', 'category', 'area',
  'location', 'external_ref', 'number', 'status', 'registered_at', 'assigned_at', 'acknowledged_at', 'suspended_at', 'answered_at', 'reply_text',
  'reply_via', 'outcome', 'closed_at', 'rejected_at', 'assign_due_at', 'reply_due_at', 'suspended_days', 'reopen_count', 'citizen_id',
  'late_to_assign', 'late_to_reply',
];

type ExportRecord = Record<string, string | number | boolean | null>;

let demo: ReturnType<typeof tempWorkspace>;
let demoUrp: ReturnType<typeof urpWith>;
beforeAll(async () => {
  demo = tempWorkspace();
  demoUrp = urpWith(demo.db);
  const init = await demoUrp(['init', '--demo']);
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => demo.cleanup());

const demoReports = () =>
  query<{ number: string; status: string; type: string; channel: string; area: string | null; category: string | null; received_at: string }>(
    demo.db,
    `select r.number, r.status, r.type, r.channel, a.code as area, c.code as category, r.received_at
     from reports r left join areas a on a.id = r.area_id left join categories c on c.id = r.category_id order by r.year, r.sequence`,
  );

/** yyyy-mm-dd of a day some days ago (the demo's reports are spread over the last 120 days). */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The instant a day starts in Rome (UTC+1 in winter, UTC+2 in summer). */
function romeMidnight(day: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hourCycle: 'h23' });
  const instant = ['+01:00', '+02:00'].map((offset) => new Date(`${day}T00:00:00${offset}`)).find((candidate) => hour.format(candidate) === '00');
  if (!instant) throw new Error(`no midnight for ${day}`);
  return instant.getTime();
}

describe.concurrent('urp export', () => {
  it('CSV to stdout: the import columns, then the informational ones, one row per report, oldest number first', async () => {
    const result = await demoUrp(['export']);
    expect(result.code, result.stderr).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(result.stdout.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(EXPORT_COLUMNS);
    expect(parsed.data.map((row) => row.number)).toEqual(demoReports().map((report) => report.number));
    // The phone of a citizen is a number, not a formula: left as it is.
    expect(parsed.data.some((row) => /^\+39\d+$/.test(row.phone!))).toBe(true);
  });

  it('JSON with --status and --area', async () => {
    const result = await demoUrp(['export', '--format', 'json', '--status', 'closed', 'answered', '--area', 'ambiente']);
    expect(result.code, result.stderr).toBe(0);
    const records = JSON.parse(result.stdout) as ExportRecord[];
    const expected = demoReports().filter((report) => ['closed', 'answered'].includes(report.status) && report.area === 'ambiente');
    expect(expected.length).toBeGreaterThan(0);
    expect(records.map((record) => record.number)).toEqual(expected.map((report) => report.number));
    for (const record of records) expect(record.closedAt === null || typeof record.closedAt === 'string').toBe(true);
    expect(records.every((record) => record.answeredAt && record.replyText && record.outcome)).toBe(true);
  });

  it('JSON Lines with --type, --channel, --from, --to into --output', async () => {
    const output = join(demo.dir, 'export.jsonl');
    const [from, to] = [daysAgo(90), daysAgo(20)];
    const result = await demoUrp(['export', '--format', 'jsonl', '--type', 'problem', '--channel', 'email', '--from', from, '--to', to, '--output', output]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const records = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ExportRecord);
    expect(result.stderr).toContain(`${records.length} reports written to ${output}`);
    // From the start of the first day to the end of the last, in Rome.
    const first = romeMidnight(from);
    const last = romeMidnight(new Date(Date.parse(`${to}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) - 1;
    const expected = demoReports().filter((report) => {
      const received = Date.parse(report.received_at);
      return report.type === 'problem' && report.channel === 'email' && received >= first && received <= last;
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(records.map((record) => record.number)).toEqual(expected.map((report) => report.number));
    for (const record of records) expect(record).toMatchObject({ type: 'problem', channel: 'email' });
  });

  it('the other filters of report list: --citizen, --late, --limit (the same reports as report list)', async () => {
    const numbers = async (command: string[], ...filters: string[]) =>
      (JSON.parse((await demoUrp([...command, ...filters, '--as-of', AS_OF_NOW])).stdout) as Array<{ number: string }>).map((record) => record.number).sort();
    for (const filters of [['--citizen', '3'], ['--late'], ['--late', '--area', 'ambiente']]) {
      const exported = await numbers(['export', '--format', 'json'], ...filters);
      expect(exported.length, filters.join(' ')).toBeGreaterThan(0);
      expect(exported, filters.join(' ')).toEqual(await numbers(['report', 'list', '--json'], ...filters));
    }
    // --limit: at most that many, oldest number first.
    const all = JSON.parse((await demoUrp(['export', '--format', 'json'])).stdout) as ExportRecord[];
    const limited = JSON.parse((await demoUrp(['export', '--format', 'json', '--limit', '5'])).stdout) as ExportRecord[];
    expect(limited.map((record) => record.number)).toEqual(all.slice(0, 5).map((record) => record.number));
  });

  it('--category, and CSV into --output', async () => {
    const output = join(demo.dir, 'rifiuti.csv');
    const result = await demoUrp(['export', '--category', 'rifiuti', '--output', output]);
    expect(result.code, result.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(output, 'utf8').trim(), { header: true }).data;
    expect(rows.map((row) => row.number)).toEqual(demoReports().filter((report) => report.category === 'rifiuti').map((report) => report.number));
  });

  it('Open311 GeoReport v2: the standard fields, and no personal data anywhere', async () => {
    const result = await demoUrp(['export', '--format', 'open311']);
    expect(result.code, result.stderr).toBe(0);
    const requests = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const rows = query<Record<string, string | null>>(
      demo.db,
      `select r.number, r.status, r.subject, r.location, r.received_at, r.reply_due_at, r.updated_at, c.code as category_code, c.name as category_name, a.name as area_name,
              (select text from replies p where p.report_id = r.id order by p.id desc limit 1) as reply
       from reports r left join categories c on c.id = r.category_id left join areas a on a.id = r.area_id order by r.year, r.sequence`,
    );
    expect(requests).toHaveLength(rows.length);
    const keys = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
    const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
    rows.forEach((row, index) => {
      const request = requests[index]!;
      expect(Object.keys(request).sort()).toEqual([...keys].sort());
      const finished = ['answered', 'closed', 'rejected'].includes(row.status!);
      expect(request).toMatchObject({
        service_request_id: row.number,
        status: finished ? 'closed' : 'open',
        status_notes: row.status === 'answered' || row.status === 'closed' ? row.reply : null,
        service_code: row.category_code,
        service_name: row.category_name,
        agency_responsible: row.area_name,
        address: row.location,
      });
      expect(request.description as string).toMatch(new RegExp(`^${row.subject!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      // W3C date-times with the offset of Rome.
      for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
        expect(request[field]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
      }
      expect(seconds(request.requested_datetime as string)).toBe(seconds(row.received_at!));
      expect(seconds(request.expected_datetime as string)).toBe(seconds(row.reply_due_at!));
      expect(seconds(request.updated_datetime as string)).toBe(seconds(row.updated_at!));
    });
    expect(requests.some((request) => request.status === 'open')).toBe(true);
    expect(requests.some((request) => request.status === 'closed' && request.status_notes)).toBe(true);

    const citizens = query<Record<string, string | null>>(demo.db, 'select first_name, last_name, tax_code, email, phone, address from citizens');
    expect(citizens.length).toBeGreaterThan(0);
    for (const citizen of citizens) {
      for (const value of [citizen.tax_code, citizen.email, citizen.phone, citizen.address, `${citizen.first_name} ${citizen.last_name}`, `${citizen.last_name} ${citizen.first_name}`]) {
        if (value) expect(result.stdout, value).not.toContain(value);
      }
    }
    expect(result.stdout).not.toMatch(/first_?name|last_?name|tax_?code|email|phone|citizen/i);
  });
});

describe('CSV formulas', () => {
  it('cells starting with = + - @ tab or CR get an apostrophe; plain numbers stay numbers; import reads them back', async () => {
    const workspace = fresh();
    try {
      const file = workspace.write(
        'formulas.csv',
        [
          'type,channel,received_at,first_name,last_name,email,phone,subject,description,location,area,status,answered_at,reply_text,outcome,external_ref',
          'problem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,+393331234567,=SUM(A1),@cmd,-12,strade,answered,2026-11-21T09:00,"\tTAB then text",resolved,F-1',
          'problem,phone,2026-11-20T09:30,Mario,Rossi,mario.rossi@example.it,,+1 cittadino,-2+3,+3.5,strade,answered,2026-11-21T09:00,"\rCR then text",resolved,F-2',
        ].join('\n'),
      );
      const imported = await workspace.urp(['import', file]);
      expect(imported.code, imported.stderr).toBe(0);
      const exported = await workspace.urp(['export']);
      const rows = Papa.parse<Record<string, string>>(exported.stdout.trim(), { header: true }).data;
      expect(rows.map((row) => [row.phone, row.subject, row.description, row.location, row.reply_text])).toEqual([
        ['+393331234567', "'=SUM(A1)", "'@cmd", '-12', "'\tTAB then text"],
        ['+393331234567', "'+1 cittadino", "'-2+3", '+3.5', "'\rCR then text"],
      ]);
      // JSON is data, not a spreadsheet: verbatim.
      const json = JSON.parse((await workspace.urp(['export', '--format', 'json'])).stdout) as ExportRecord[];
      expect(json.map((record) => [record.subject, record.description, record.replyText])).toEqual([
        ['=SUM(A1)', '@cmd', '\tTAB then text'],
        ['+1 cittadino', '-2+3', '\rCR then text'],
      ]);
      // The neutralised export, imported elsewhere, gives back the text as it was.
      const elsewhere = fresh();
      try {
        const again = await elsewhere.urp(['import', elsewhere.write('export.csv', exported.stdout)]);
        expect(again.code, again.stderr).toBe(0);
        expect(query(elsewhere.db, 'select subject, description, location from reports order by id')).toEqual([
          { subject: '=SUM(A1)', description: '@cmd', location: '-12' },
          { subject: '+1 cittadino', description: '-2+3', location: '+3.5' },
        ]);
        expect(query(elsewhere.db, 'select text from replies order by id')).toEqual([{ text: '\tTAB then text' }, { text: '\rCR then text' }]);
      } finally {
        elsewhere.cleanup();
      }
    } finally {
      workspace.cleanup();
    }
  });
});

const AS_OF_NOW = new Date().toISOString();

describe('round trip', () => {
  it('init --demo, export, import into an empty database with the same areas and categories, export again: the same reports', async () => {
    const target = tempWorkspace();
    const cleanups: Array<() => void> = [];
    try {
      const urp = urpWith(target.db);
      const areas = query<{ code: string; name: string }>(demo.db, 'select code, name from areas order by id');
      const categories = query<{ code: string; name: string; area: string | null }>(
        demo.db,
        'select c.code, c.name, a.code as area from categories c left join areas a on a.id = c.area_id order by c.id',
      );
      for (const area of areas) expect((await urp(['area', 'add', area.code, '--name', area.name])).code).toBe(0);
      for (const category of categories) {
        expect((await urp(['category', 'add', category.code, '--name', category.name, ...(category.area ? ['--area', category.area] : [])])).code).toBe(0);
      }
      // A second empty database, for the JSON Lines way.
      const secondWorkspace = tempWorkspace({ init: false });
      cleanups.push(() => secondWorkspace.cleanup());
      const second = secondWorkspace.db;
      copyDatabase(target.db, second);

      const csv = join(target.dir, 'demo.csv');
      const jsonl = join(target.dir, 'demo.jsonl');
      expect((await demoUrp(['export', '--output', csv])).code).toBe(0);
      expect((await demoUrp(['export', '--format', 'jsonl', '--output', jsonl])).code).toBe(0);
      const original = JSON.parse((await demoUrp(['export', '--format', 'json'])).stdout) as ExportRecord[];
      expect(original.length).toBeGreaterThan(200);

      const fields = [
        'number', 'status', 'type', 'channel', 'receivedAt', 'registeredAt', 'assignedAt', 'acknowledgedAt', 'suspendedAt', 'answeredAt', 'closedAt',
        'rejectedAt', 'subject', 'description', 'location', 'externalRef', 'category', 'area', 'replyText', 'replyVia', 'outcome',
        'firstName', 'lastName', 'taxCode', 'email', 'phone', 'address',
      ];
      const essentials = (records: ExportRecord[]) => records.map((record) => Object.fromEntries(fields.map((field) => [field, record[field]])));
      // Every status and milestone of the demo is there to be compared.
      expect(new Set(original.map((record) => record.status))).toEqual(new Set(['registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected']));

      for (const [database, file] of [[target.db, csv], [second, jsonl]] as const) {
        const imported = await runIn(database, ['import', file]);
        expect(imported.code, imported.stderr).toBe(0);
        expect(summary(imported.stderr)).toEqual({ read: original.length, imported: original.length, skipped: 0, rejected: 0 });
        const copy = JSON.parse((await runIn(database, ['export', '--format', 'json'])).stdout) as ExportRecord[];
        expect(essentials(copy)).toEqual(essentials(original));
        // One citizen per person, as in the demo.
        expect(query(database, 'select count(*) as count from citizens')).toEqual(query(demo.db, 'select count(distinct citizen_id) as count from reports'));
        // The same file again (most rows carry no external reference): every report is known by its number and skipped.
        const before = snapshot(database);
        const again = await runIn(database, ['import', file]);
        expect(again.code, again.stderr).toBe(0);
        expect(summary(again.stderr)).toEqual({ read: original.length, imported: 0, skipped: original.length, rejected: 0 });
        expect(snapshot(database)).toBe(before);
      }
    } finally {
      for (const cleanup of cleanups) cleanup();
      target.cleanup();
    }
  });
});

function runIn(database: string, args: string[]) {
  return urpWith(database)(args);
}
