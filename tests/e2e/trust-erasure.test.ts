import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { registerFunctions } from '../../src/storage/database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTaxCode } from '../../src/domain/tax-code.js';
import { ME, type RunResult, query, tempWorkspace, urpWith, describeSqliteOnly } from '../helpers/cli.js';

/**
 * Issue 10, "erasure that erases": after `citizen erase`, `citizen erase
 * --redact-texts` and `privacy retention`, none of the erased values is in
 * the bytes of the database file, its WAL or its SHM, while another process
 * holds the database open. The register has over 400 citizens (imported),
 * and the citizens erased had their e-mail and phone changed before, so
 * that stale cells and old index entries exist to be found. A reader inside
 * a read transaction keeps the log from being emptied: urp says a step
 * remains, and the next command finishes it. The copies urp wrote itself
 * (before a restore) still hold the data, and urp says so.
 */

const SELF = { URP_OPERATOR: undefined };

/**
 * Another process with the database open (as a second clerk's urp, a backup
 * job): a better-sqlite3 connection in a child process, idle until told to
 * `begin` (a read transaction) or `commit`. A child, not this process:
 * reading the raw files here closes file descriptors, and POSIX drops every
 * lock this process holds on a file when any descriptor of it is closed, so
 * a connection of the test process would stop counting as "open".
 */
class Holder {
  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>, private output = '') {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
  }

  static async open(db: string): Promise<Holder> {
    const script = `
      const Database = require(process.argv[1]);
      const db = new Database(process.argv[2], { readonly: true });
      db.prepare('select count(*) from citizens').get();
      process.stdout.write('ready\\n');
      require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
        if (line === 'begin') { db.exec('begin'); db.prepare('select count(*) from citizens').get(); }
        if (line === 'commit') db.exec('commit');
        if (line === 'exit') { db.close(); process.exit(0); }
        process.stdout.write(line + ' done\\n');
      });`;
    const child = spawn(process.execPath, ['-e', script, createRequire(import.meta.url).resolve('better-sqlite3'), db], { stdio: ['pipe', 'pipe', 'inherit'] });
    const holder = new Holder(child);
    await holder.until('ready');
    return holder;
  }

  private until(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (this.output.includes(text)) done(resolve);
        else if (this.child.exitCode !== null) done(() => reject(new Error(`the holder ended (${this.child.exitCode}) before "${text}"`)));
      }, 20);
      const done = (then: () => void) => {
        clearInterval(timer);
        then();
      };
    });
  }

  /** Starts (begin) or ends (commit) a read transaction in the holder. */
  async send(command: 'begin' | 'commit'): Promise<void> {
    this.child.stdin.write(`${command}\n`);
    await this.until(`${command} done`);
    this.output = '';
  }

  close(): void {
    if (this.child.exitCode === null) this.child.stdin.write('exit\n');
  }
}

interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly taxCode: string;
  readonly email: string;
  readonly phone: string;
  readonly address: string;
  /** Changed with citizen update before the erasure: the old values must go too. */
  readonly newEmail?: string;
  readonly newPhone?: string;
  /**
   * A duplicate of the person, registered and deleted by a program that did
   * not zero what it freed (an urp from before secure_delete, the sqlite3
   * shell): its cells sit in freed space of the citizens' pages and of their
   * indexes until those are rewritten.
   */
  readonly duplicateEmail?: string;
}

function person(firstName: string, lastName: string, year: number, phone: string, street: string, update: boolean): Person {
  const email = `${firstName}.${lastName}@example.it`.toLowerCase();
  return {
    firstName,
    lastName,
    taxCode: buildTaxCode({ firstName, lastName, birthDate: { year, month: 5, day: 17 }, female: false, birthplaceCode: 'H501' }),
    email,
    phone,
    address: `${street}, 21100 Valdoria`,
    ...(update && { newEmail: `nuova.${email}`, newPhone: `3${phone.slice(1, -1)}8` }),
  };
}

/** Erased with citizen erase. */
const EUSEBIO = { ...person('Eusebio', 'Zanzibarone', 1961, '3337654321', 'Via Tarantella 9', true), duplicateEmail: 'eusebio.doppione@example.it' };
const OTTAVIA = person('Ottavia', 'Quercioli', 1972, '3471122334', 'Vicolo Sgabuzzino 2', true);
/** Erased with --redact-texts: the texts of the report too. */
const LUDOVICO = person('Ludovico', 'Sbarbaglia', 1958, '3209876543', 'Piazzetta Mongolfiera 1', true);
const LUDOVICO_TEXTS = { subject: 'Perdita idrica in vicolo Grembiulini', description: 'Acqua dal tombino Ciabattaforte', location: 'Vicolo Grembiulini 4', reply: 'Riparata la condotta Pignolerio' };
/** Erased by privacy retention: their reports closed in 2018. */
const ERMENEGILDA = person('Ermenegilda', 'Tortorelli', 1949, '3385550111', 'Strada Cavedagna 14', true);
const FILIBERTO = person('Filiberto', 'Scaramacai', 1955, '3395550222', 'Contrada Pizzicagnolo 3', false);
/** Erased while another process is inside a read transaction. */
const CLOTILDE = person('Clotilde', 'Farfallina', 1980, '3405550333', 'Via Rampicante 21', true);
/** Never erased: what must still be found (the control that the bytes read are the right ones). */
const KEPT = person('Gualtiero', 'Spiridione', 1966, '3415550444', 'Via Durevole 8', false);

const TARGETS = [EUSEBIO, OTTAVIA, LUDOVICO, ERMENEGILDA, FILIBERTO, CLOTILDE, KEPT];
const FILLERS = 420;

/** Every form in which a person's data may sit in the file: as stored, normalised, lower-cased, parts of it. */
function traces(who: Person): string[] {
  const values = [
    who.firstName, who.lastName, `${who.lastName} ${who.firstName}`, who.taxCode, who.email, who.email.split('@')[0]!, who.phone, `+39${who.phone}`,
    who.address, who.address.split(',')[0]!.split(' ').at(-2)!,
  ];
  if (who.newEmail) values.push(who.newEmail);
  if (who.newPhone) values.push(who.newPhone, `+39${who.newPhone}`);
  if (who.duplicateEmail) values.push(who.duplicateEmail);
  return values.map((value) => value.toLowerCase());
}

/** The raw bytes of the database, its WAL and its SHM, as they are now (nothing checkpointed by the test). */
function rawFiles(db: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    const path = `${db}${suffix}`;
    if (existsSync(path)) files[path] = readFileSync(path).toString('latin1').toLowerCase();
  }
  return files;
}

/** Which of these values are in which file. */
function found(db: string, values: readonly string[]): string[] {
  const files = rawFiles(db);
  return Object.entries(files).flatMap(([path, bytes]) => values.filter((value) => bytes.includes(value)).map((value) => `${value} in ${path.slice(path.lastIndexOf('/') + 1)}`));
}

function csvFile(): string {
  const header = 'tipo;canale;data;nome;cognome;codice_fiscale;email;telefono;indirizzo;oggetto;descrizione;luogo;area;stato;data_assegnazione;data_presa_in_carico;data_risposta;testo_risposta;esito;data_chiusura';
  const lines = [header];
  const targetLines: string[] = [];
  const first = ['Mario', 'Anna', 'Luca', 'Giulia', 'Paolo', 'Sara', 'Marco', 'Chiara', 'Giorgio', 'Elena'];
  const last = ['Rossi', 'Bianchi', 'Verdi', 'Russo', 'Ferrari', 'Esposito', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno'];
  for (let index = 0; index < FILLERS; index++) {
    const firstName = first[index % first.length]!;
    const lastName = last[Math.floor(index / first.length) % last.length]!;
    const taxCode = buildTaxCode({ firstName, lastName, birthDate: { year: 1930 + (index % 70), month: 1 + (Math.floor(index / 70) % 12), day: 1 + (Math.floor(index / 840) % 28) }, female: false, birthplaceCode: 'F205' });
    lines.push(
      ['segnalazione', 'telefono', `${String(1 + (index % 28)).padStart(2, '0')}/10/2026 09:30`, firstName, lastName, taxCode, `persona${index}@example.it`,
        `333${String(1_000_000 + index)}`, `Via Roma ${index}`, 'Buca', '', '', '', '', '', '', '', '', '', ''].join(';'),
    );
  }
  const row = (who: Person, texts: { subject: string; description: string; location: string }, history: string[]) =>
    ['reclamo', 'e-mail', history.length ? history[0]! : '20/11/2026 10:00', who.firstName, who.lastName, who.taxCode, who.email, who.phone, who.address,
      texts.subject, texts.description, texts.location, history.length ? 'ambiente' : '', ...(history.length ? history.slice(1) : ['', '', '', '', '', '', ''])].join(';');
  const plain = { subject: 'Rumore notturno', description: 'Musica alta', location: 'Piazza Grande' };
  const closed = (year: number, reply: string) => [`10/03/${year} 09:00`, 'chiusa', `10/03/${year} 10:00`, `11/03/${year} 10:00`, `15/03/${year} 10:00`, reply, 'risolta', `16/03/${year} 10:00`];
  targetLines.push(row(EUSEBIO, plain, []), row(OTTAVIA, plain, []), row(CLOTILDE, plain, []), row(KEPT, plain, []));
  targetLines.push(row(LUDOVICO, LUDOVICO_TEXTS, closed(2026, LUDOVICO_TEXTS.reply)));
  targetLines.push(row(ERMENEGILDA, plain, closed(2018, 'Fatto')), row(FILIBERTO, plain, closed(2018, 'Fatto')));
  // Spread among the others, so that their pages fill up around them and split when they grow.
  targetLines.forEach((line, index) => lines.splice(2 + index * Math.floor(FILLERS / TARGETS.length), 0, line));
  return `${lines.join('\n')}\n`;
}

function expectOk(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

describeSqliteOnly("it greps the database file, its WAL and SHM; on PostgreSQL tests/postgres greps the server's relation files")('erasure that erases, in a register of over 400 citizens', () => {
  const workspace = tempWorkspace();
  const db = workspace.db;
  const urp = urpWith(db, { env: SELF });
  const ids = new Map<Person, number>();
  /** Another process's connection, open and idle for the whole test. */
  let idle: Holder;

  beforeAll(async () => {
    expectOk(await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME]), 'admin');
    expectOk(await urp(['area', 'add', 'ambiente', '--name', 'Ambiente']), 'area');
    writeFileSync(join(workspace.dir, 'citizens.csv'), csvFile());
    expectOk(await urp(['import', join(workspace.dir, 'citizens.csv')]), 'import');
    expect(query<{ n: number }>(db, 'select count(*) as n from citizens')[0]!.n).toBe(FILLERS + TARGETS.length);
    // A restore: urp saves the current contents beside the database first (a copy that keeps what is erased later).
    expectOk(await urp(['db', 'backup', join(workspace.dir, 'backup.db')]), 'backup');
    expectOk(await urp(['db', 'restore', join(workspace.dir, 'backup.db'), '--yes']), 'restore');
    for (const who of TARGETS) {
      const id = query<{ id: number }>(db, 'select id from citizens where last_name = ?', who.lastName)[0]!.id;
      ids.set(who, id);
      if (who.newEmail) expectOk(await urp(['citizen', 'update', String(id), '--email', who.newEmail, '--phone', who.newPhone!]), `update ${who.lastName}`);
      if (who.duplicateEmail) {
        const old = new Database(db);
        // The search index's triggers fold text with urp's own SQL functions.
        registerFunctions(old);
        try {
          old.pragma('secure_delete = OFF');
          const { lastInsertRowid } = old
            .prepare("insert into citizens (first_name, last_name, email, search_name, created_at, updated_at) values (?, ?, ?, ?, '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z')")
            .run(who.firstName, who.lastName, who.duplicateEmail, `${who.lastName} ${who.firstName}`.toLowerCase());
          old.prepare('delete from citizens where id = ?').run(lastInsertRowid);
          old.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          old.close();
        }
        // The control: no row holds the duplicate, the file still does (in freed space).
        expect(query(db, 'select id from citizens where email = ?', who.duplicateEmail)).toEqual([]);
        expect(found(db, [who.duplicateEmail])).toEqual([`${who.duplicateEmail} in urp.db`]);
      }
    }
    idle = await Holder.open(db);
  });
  afterAll(() => {
    idle?.close();
    workspace.cleanup();
  });

  it('finds the values before the erasure (the search reads the right bytes)', () => {
    for (const who of [EUSEBIO, LUDOVICO, ERMENEGILDA, KEPT]) expect(found(db, [who.email.toLowerCase(), who.taxCode.toLowerCase()]).length, who.lastName).toBeGreaterThan(0);
    expect(found(db, [LUDOVICO_TEXTS.subject.toLowerCase()]).length).toBeGreaterThan(0);
  });

  it('citizen erase: no trace of the old and new e-mails, phones, names, tax codes and addresses in the .db, -wal and -shm', async () => {
    for (const who of [EUSEBIO, OTTAVIA]) {
      const erased = await urp(['citizen', 'erase', String(ids.get(who)), '--force', '--yes']);
      expectOk(erased, `erase ${who.lastName}`);
      expect(erased.stderr).not.toContain('could not be emptied');
      // The copy urp wrote before the restore still holds the data: said.
      expect(erased.stderr).toContain('1 copy written by urp beside the database (before a migration or a restore) still holds the erased data: see urp privacy backups');
    }
    expect(found(db, [...traces(EUSEBIO), ...traces(OTTAVIA)])).toEqual([]);
    expect(found(db, [KEPT.email.toLowerCase(), KEPT.taxCode.toLowerCase()]).length).toBeGreaterThan(0);
  });

  it('citizen erase --redact-texts: the subject, description, place and reply are gone from the files too', async () => {
    const erased = await urp(['citizen', 'erase', String(ids.get(LUDOVICO)), '--redact-texts', '--force', '--yes']);
    expectOk(erased, 'erase --redact-texts');
    const texts = ['Grembiulini', 'Ciabattaforte', 'Pignolerio', LUDOVICO_TEXTS.subject].map((text) => text.toLowerCase());
    expect(found(db, [...traces(LUDOVICO), ...texts])).toEqual([]);
    expect(query(db, "select subject, description, location from reports where citizen_id = ?", ids.get(LUDOVICO))).toEqual([{ subject: '[omissis]', description: '', location: null }]);
  });

  it('privacy retention: the citizens whose reports closed in 2018 leave no trace', async () => {
    const retention = await urp(['privacy', 'retention', '--older-than', '5y', '--yes', '--json']);
    expectOk(retention, 'retention');
    expect(JSON.parse(retention.stdout).citizens.sort()).toEqual([ids.get(ERMENEGILDA), ids.get(FILIBERTO)].sort());
    expect(found(db, [...traces(ERMENEGILDA), ...traces(FILIBERTO)])).toEqual([]);
    // The holder's connection kept the log from being removed: it was emptied, not deleted at urp's exit.
    expect(readFileSync(`${db}-wal`).length).toBe(0);
    // What was not erased is all still there.
    expect(query(db, 'select count(*) as n from citizens where erased_at is null')).toEqual([{ n: FILLERS + 2 }]);
    expect(found(db, [KEPT.email.toLowerCase(), 'persona419@example.it']).length).toBeGreaterThan(1);
  });

  it('with a reader inside a read transaction: urp says a step remains; the next command finishes it', async () => {
    const reader = await Holder.open(db);
    try {
      await reader.send('begin');
      const started = performance.now();
      const erased = await urp(['citizen', 'erase', String(ids.get(CLOTILDE)), '--force', '--yes']);
      expectOk(erased, 'erase during a read');
      expect(erased.stderr).toContain('another process is reading the register, so the log that still holds the erased data could not be emptied yet: the next urp command will finish it');
      // Said promptly, not after the busy timeout.
      expect(performance.now() - started).toBeLessThan(15_000);
      expect(query(db, 'select task from maintenance')).toEqual([{ task: 'purge-wal' }]);
      // Not finished yet, and not by a command that runs while the read goes on.
      expect(found(db, traces(CLOTILDE)).length).toBeGreaterThan(0);
      expectOk(await urp(['report', 'list', '--limit', '1']), 'a command during the read');
      expect(query(db, 'select task from maintenance')).toEqual([{ task: 'purge-wal' }]);
      await reader.send('commit');
    } finally {
      reader.close();
    }
    // Any command that can write finishes it (here a reading one, on a writable register).
    expectOk(await urp(['report', 'list', '--limit', '1']), 'the next command');
    expect(query(db, 'select task from maintenance')).toEqual([]);
    expect(found(db, traces(CLOTILDE))).toEqual([]);
    for (const who of [EUSEBIO, OTTAVIA, LUDOVICO, ERMENEGILDA, FILIBERTO]) expect(found(db, traces(who)), who.lastName).toEqual([]);
  });

  it("privacy backups lists urp's own copies, which do still hold the erased data", async () => {
    const listed = await urp(['privacy', 'backups', '--json']);
    expectOk(listed, 'privacy backups');
    const backups = JSON.parse(listed.stdout) as Array<{ path: string; sizeBytes: number }>;
    expect(backups).toHaveLength(1);
    expect(backups[0]!.path).toMatch(/urp\.db\.before-restore-/);
    expect(readFileSync(backups[0]!.path).toString('latin1')).toContain(EUSEBIO.taxCode);
    const table = await urp(['privacy', 'backups']);
    expect(table.stdout).toContain(backups[0]!.path);
  });
});
