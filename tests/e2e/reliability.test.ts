import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, createReadStream, existsSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { registerFunctions } from '../../src/storage/database.js';
import { sql } from 'kysely';
import { LATEST_SCHEMA_VERSION } from '../../src/storage/schema-version.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations.js';
import { ENGINE, type RunResult, contents, copyDatabase, describeSqliteOnly, execute, query, runUrp, snapshot, sqliteOnly, tempWorkspace, urpWith, YEAR } from '../helpers/cli.js';

/**
 * Issue 6: `urp db check`, backups and restores, the automatic backup before
 * a migration, owner-only files, and error messages (no personal data; one
 * line and a hint for the unexpected, the stack only with --debug).
 */

const mode = (path: string) => statSync(path).mode & 0o777;
const octal = (value: number) => `0${value.toString(8)}`;

/** `report new` for a new citizen each time (the citizen is written in the same transaction). */
function newReport(index: number, tag = 'r'): string[] {
  return [
    'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', `Lampione spento ${tag}${index}`,
    '--first-name', 'Mario', '--last-name', 'Rossi', '--email', `mario.${tag}${index}@example.it`,
  ];
}

/** Five reports, one of them replied to and closed: a small, sound register. */
async function smallRegister(urp: ReturnType<typeof urpWith>): Promise<void> {
  expect((await urp(['area', 'add', 'manutenzione', '--name', 'Manutenzione'])).code).toBe(0);
  for (let index = 1; index <= 5; index++) expect((await urp(newReport(index))).code).toBe(0);
  for (const action of [
    ['report', 'assign', `${YEAR}/000001`, '--area', 'manutenzione'],
    ['report', 'ack', `${YEAR}/000001`],
    ['report', 'reply', `${YEAR}/000001`, '--text', 'Riparato', '--outcome', 'resolved'],
    ['report', 'close', `${YEAR}/000001`],
    ['report', 'assign', `${YEAR}/000002`, '--area', 'manutenzione'],
  ]) {
    expect((await urp(action)).code, action.join(' ')).toBe(0);
  }
}

/** Runs `work` on the database file directly (the test breaks what urp never would). */
function tamper(db: string, work: (connection: Database.Database) => void): void {
  const connection = new Database(db);
  // The search index's triggers fold text with urp's own SQL functions: someone changing rows by hand needs them too.
  registerFunctions(connection);
  try {
    work(connection);
  } finally {
    connection.close();
  }
}

/** A loop of `report new` processes until stop() (another clerk writing meanwhile). */
function writerLoop(urp: ReturnType<typeof urpWith>, tag: string) {
  let stopping = false;
  const results: RunResult[] = [];
  let resolveFirst: () => void;
  const firstWritten = new Promise<void>((resolve) => (resolveFirst = resolve));
  const done = (async () => {
    for (let index = 0; !stopping; index++) {
      results.push(await urp(newReport(index, tag)));
      resolveFirst();
    }
  })();
  return {
    results,
    firstWritten,
    async stop() {
      stopping = true;
      await done;
      return results;
    },
  };
}

describe('urp db check', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  /** A copy of the sound register for each test to damage. */
  let damaged: string;
  let counter = 0;
  const copies: Array<ReturnType<typeof tempWorkspace>> = [];
  beforeAll(async () => {
    await smallRegister(urp);
  });
  beforeEach(() => {
    if (ENGINE === 'postgres') {
      const copy = tempWorkspace({ init: false });
      copies.push(copy);
      damaged = copy.db;
      copyDatabase(workspace.db, damaged);
    } else {
      damaged = join(workspace.dir, `damaged-${++counter}.db`);
      copyFileSync(workspace.db, damaged);
    }
  });
  afterAll(() => {
    for (const copy of copies) copy.cleanup();
    workspace.cleanup();
  });

  const check = (db: string) => runUrp(['--db', db, 'db', 'check']);

  it('exits 0 on a sound database and says what it checked', async () => {
    const result = await check(workspace.db);
    expect(result.stderr).toContain('Database sound: integrity, foreign keys and 5 reports checked');
    expect(result.code).toBe(0);
    const json = await runUrp(['--db', workspace.db, 'db', 'check', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ sound: true, problems: [] });
  });

  /**
   * Each damage as SQLite's shell and PostgreSQL's psql would do it: on
   * PostgreSQL the guards are lifted by their owner (ALTER TABLE ... DISABLE
   * TRIGGER, then enabled again) or by a superuser's session that fires no
   * triggers (session_replication_role = replica: foreign keys unchecked too).
   */
  const damages: Array<{ what: string; damage: (connection: Database.Database) => void; postgres: string; problem: RegExp }> = [
    {
      what: 'a report without its "registered" event',
      damage: (connection) =>
        connection.exec(`drop trigger report_events_no_delete;
          delete from report_events where kind = 'registered' and report_id = (select id from reports where number = '${YEAR}/000003')`),
      postgres: `alter table report_events disable trigger report_events_no_delete;
        delete from report_events where kind = 'registered' and report_id = (select id from reports where number = '${YEAR}/000003');
        alter table report_events enable trigger report_events_no_delete`,
      problem: new RegExp(String.raw`^registered event: report ${YEAR}\/000003 has no "registered" event$`, 'm'),
    },
    {
      what: 'a status changed without an event',
      damage: (connection) => connection.exec(`update reports set status = 'closed' where number = '${YEAR}/000004'`),
      postgres: `update reports set status = 'closed' where number = '${YEAR}/000004'`,
      problem: new RegExp(String.raw`^status: report ${YEAR}\/000004 is "closed" but its last event set "registered"$`, 'm'),
    },
    {
      what: 'a gap in the numbers',
      damage: (connection) =>
        connection.exec(`pragma foreign_keys = off; drop trigger report_events_no_delete;
          delete from report_events where report_id = (select id from reports where number = '${YEAR}/000004');
          delete from reports where number = '${YEAR}/000004'`),
      postgres: `set session_replication_role = replica;
        delete from report_events where report_id = (select id from reports where number = '${YEAR}/000004');
        delete from reports where number = '${YEAR}/000004'`,
      problem: new RegExp(String.raw`^numbers: year ${YEAR}: 1 numbers missing \(highest 5, 4 reports\): ${YEAR}\/000004$`, 'm'),
    },
    {
      what: 'an event dated in the future',
      damage: (connection) =>
        connection.exec(`drop trigger report_events_no_update;
          update report_events set occurred_at = '2031-01-01T08:00:00.000Z' where kind = 'registered' and report_id = (select id from reports where number = '${YEAR}/000005')`),
      postgres: `set session_replication_role = replica;
        update report_events set occurred_at = '2031-01-01T08:00:00.000Z' where kind = 'registered' and report_id = (select id from reports where number = '${YEAR}/000005')`,
      problem: new RegExp(String.raw`^events: report ${YEAR}\/000005: "registered" event dated 2031-01-01T08:00:00\.000Z, after now$`, 'm'),
    },
    {
      what: 'a broken foreign key',
      damage: (connection) => connection.exec(`pragma foreign_keys = off; update reports set citizen_id = 999 where number = '${YEAR}/000002'`),
      postgres: `set session_replication_role = replica; update reports set citizen_id = 999 where number = '${YEAR}/000002'`,
      problem: new RegExp(String.raw`^foreign keys: report ${YEAR}\/000002 refers to a missing citizens row$`, 'm'),
    },
    {
      what: 'a reply deadline that does not follow from its clock',
      damage: (connection) => connection.exec(`update reports set reply_due_at = '2027-06-30T21:59:59.999Z' where number = '${YEAR}/000003'`),
      postgres: `update reports set reply_due_at = '2027-06-30T21:59:59.999Z' where number = '${YEAR}/000003'`,
      problem: new RegExp(String.raw`^deadlines: report ${YEAR}\/000003: reply deadline 2027-06-30T21:59:59\.999Z does not follow from its clock and 0 suspended days$`, 'm'),
    },
    {
      what: 'a sequence behind the numbers given',
      damage: (connection) => connection.exec(`update report_sequences set last_value = 2`),
      postgres: `update report_sequences set last_value = 2`,
      problem: new RegExp(String.raw`^numbers: year ${YEAR}: the sequence \(2\) is behind the highest number \(5\)$`, 'm'),
    },
  ];

  for (const { what, damage, postgres, problem } of damages) {
    it(`exits 1 and names the report on ${what}`, async () => {
      if (ENGINE === 'postgres') execute(damaged, postgres);
      else tamper(damaged, damage);
      const result = await check(damaged);
      expect(result.code).toBe(1);
      // The problems are listed on stdout (one line each), the count on stderr.
      expect(result.stdout).toMatch(problem);
      expect(result.stderr).toMatch(/^problems found: \d+\n$/);
      expect(result.stderr + result.stdout).not.toMatch(/\n\s+at |SqliteError|unexpected/);
      // Nothing personal in the list: reports are named by number.
      expect(result.stdout).not.toMatch(/mario|@example/i);
      const json = await runUrp(['--db', damaged, 'db', 'check', '--json']);
      expect(json.code).toBe(1);
      const parsed = JSON.parse(json.stdout) as { sound: boolean; problems: Array<{ check: string; detail: string }> };
      expect(parsed.sound).toBe(false);
      expect(parsed.problems.map((each) => `${each.check}: ${each.detail}`).join('\n')).toMatch(problem);
    });
  }

  sqliteOnly('it changes a byte of a page of the file')("lists what SQLite's own integrity check finds in a damaged file, exit 1", async () => {
    // Change one byte of a key in an index page, behind SQLite's back: the index no longer matches its table.
    const root = query<{ rootpage: number }>(damaged, `select rootpage from sqlite_master where name = 'citizens_search_name'`)[0]!.rootpage;
    tamper(damaged, (connection) => connection.pragma('journal_mode = DELETE'));
    const bytes = readFileSync(damaged);
    const page = bytes.subarray((root - 1) * 4096, root * 4096);
    const at = page.indexOf('rossi mario');
    expect(at).toBeGreaterThan(0);
    page[at + 'rossi m'.length] = 'b'.charCodeAt(0);
    writeFileSync(damaged, bytes);
    const result = await check(damaged);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^integrity: row \d+ missing from index citizens_search_name$/m);
    expect(result.stderr).toMatch(/^problems found: \d+\n$/);
  });
});

describe('backup and restore', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const backup = join(workspace.dir, 'copies', 'urp-backup.db');
  let backupCount: number;
  const reportCount = (db: string) => query<{ n: number }>(db, 'select count(*) as n from reports')[0]!.n;

  beforeAll(async () => {
    await smallRegister(urp);
    mkdirSync(join(workspace.dir, 'copies'));
  });
  afterAll(() => workspace.cleanup());

  it('db backup, while two other processes keep registering, writes a consistent owner-only copy that passes db check', async () => {
    const writers = [writerLoop(urp, 'a'), writerLoop(urp, 'b')];
    await Promise.all(writers.map((writer) => writer.firstWritten));
    // The WAL exists while they write: owner-only like the database.
    const walModes = new Set<number>();
    const watch = setInterval(() => {
      try {
        walModes.add(mode(`${workspace.db}-wal`));
      } catch {
        // between two processes, the WAL may be gone
      }
    }, 5);
    let result: RunResult;
    try {
      const before = reportCount(workspace.db);
      result = await urp(['db', 'backup', backup]);
      backupCount = reportCount(backup);
      expect(backupCount).toBeGreaterThanOrEqual(before);
      // Let them write a little more after the copy, so the restore has something to undo.
      const target = reportCount(workspace.db) + 3;
      while (reportCount(workspace.db) < target) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      clearInterval(watch);
    }
    const written = (await Promise.all(writers.map((writer) => writer.stop()))).flat();
    for (const each of written) {
      expect(each.stderr).not.toMatch(/locked|busy/i);
      expect(each.code).toBe(0);
    }
    expect(result.stderr).toBe(`Backup written to ${backup} and checked\n`);
    expect(result.code).toBe(0);
    expect(octal(mode(backup))).toBe('0600');
    // (A server's log is the server's: no file beside a register on PostgreSQL.)
    expect([...walModes].map(octal)).toEqual(ENGINE === 'sqlite' ? ['0600'] : []);
    // A single standalone file: no WAL beside it, rollback journal mode.
    expect(readdirSync(join(workspace.dir, 'copies'))).toEqual(['urp-backup.db']);
    expect(query(backup, 'pragma journal_mode')).toEqual([{ journal_mode: 'delete' }]);

    const checked = await runUrp(['--db', backup, 'db', 'check']);
    expect(checked.stderr).toContain(`Database sound: integrity, foreign keys and ${backupCount} reports checked`);
    expect(checked.code).toBe(0);
    // Every report in the copy has its registered event and its citizen (a transaction is all in or all out).
    expect(query(backup, `select count(*) as n from report_events where kind = 'registered'`)).toEqual([{ n: backupCount }]);
    expect(query(backup, 'select count(*) as n from citizens')).toEqual([{ n: backupCount }]);
    expect(reportCount(workspace.db)).toBeGreaterThan(backupCount);
  }, 120_000);

  it('db restore refuses without --yes when not on a terminal (exit 2, nothing changed)', async () => {
    const before = snapshot(workspace.db);
    const result = await urp(['db', 'restore', backup]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('urp: error: --yes: this changes data for good: add --yes to confirm (no prompts without a terminal)\n');
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('db restore refuses a file that is not a urp database, or is missing, or is the database itself (exit 2, nothing changed, nothing created)', async () => {
    const before = snapshot(workspace.db);
    const text = join(workspace.dir, 'notes.txt');
    writeFileSync(text, 'not a database at all\n'.repeat(200));
    const foreign = join(workspace.dir, 'other-app.db');
    tamper(foreign, (connection) => connection.exec('create table things (id integer primary key, name text)'));
    const missing = join(workspace.dir, 'missing.db');
    for (const [file, message] of [
      [text, `${text} is not a urp database`],
      [foreign, `${foreign} is not a urp database`],
      [missing, `cannot read ${missing}`],
      ...(ENGINE === 'sqlite' ? ([[workspace.db, 'the backup cannot be the database itself']] as const) : []),
    ] as const) {
      const result = await urp(['db', 'restore', file, '--yes']);
      // The argument is labelled "file" (or "--file" in older builds).
      expect(result.stderr, file).toMatch(/^urp: error: (--)?file: /);
      expect(result.stderr.replace(/^urp: error: (--)?file: /, ''), file).toBe(`${message}\n`);
      expect(result.code, file).toBe(2);
    }
    expect(existsSync(missing)).toBe(false);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('db restore refuses a backup that fails its check, listing why (exit 2, nothing changed)', async () => {
    const unsound = join(workspace.dir, 'unsound.db');
    copyFileSync(backup, unsound);
    tamper(unsound, (connection) => connection.exec(`update reports set status = 'rejected' where number = '${YEAR}/000003'`));
    const before = snapshot(workspace.db);
    const result = await urp(['db', 'restore', unsound, '--yes']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`status: report ${YEAR}/000003 is "rejected" but its last event set "registered"`);
    expect(result.stderr).toMatch(/^urp: error: (--)?file: the backup fails its check \(problems: 1\): not restored\n$/);
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('db restore of a backup of another schema version says what to do: migrate an older one, update urp for a newer one (exit 2, nothing changed)', async () => {
    const before = snapshot(workspace.db);
    for (const [version, message] of [
      [LATEST_SCHEMA_VERSION - 1, `the backup has schema version ${LATEST_SCHEMA_VERSION - 1}, this database ${LATEST_SCHEMA_VERSION}: migrate it first (urp --db BACKUP db migrate)`],
      [LATEST_SCHEMA_VERSION + 1, `the backup was written by a newer urp (schema ${LATEST_SCHEMA_VERSION + 1}; this one knows up to ${LATEST_SCHEMA_VERSION}): update urp, then restore it`],
    ] as const) {
      const other = join(workspace.dir, `version-${version}.db`);
      copyFileSync(backup, other);
      tamper(other, (connection) => connection.pragma(`user_version = ${version}`));
      const result = await urp(['db', 'restore', other, '--yes']);
      expect(result.stderr.replace(/^urp: error: (--)?file: /, ''), String(version)).toBe(`${message}\n`);
      expect(result.code, String(version)).toBe(2);
    }
    expect(snapshot(workspace.db)).toBe(before);
  });

  it('db restore --yes brings the backup back (counts as in the backup), saving the current contents beside the database', async () => {
    const current = reportCount(workspace.db);
    expect(current).toBeGreaterThan(backupCount);
    const result = await urp(['db', 'restore', backup, '--yes']);
    // Saved beside the database file; a register on a server has none, so beside the backup, named after the database.
    const [savedFolder, savedPrefix] = ENGINE === 'sqlite' ? [workspace.dir, 'urp.db.before-restore-'] : [join(workspace.dir, 'copies'), `${new URL(workspace.db).pathname.slice(1)}.before-restore-`];
    expect(result.stderr).toMatch(new RegExp(String.raw`^Database restored from .*urp-backup\.db \(the previous contents saved in .*${savedPrefix.replace(/\./g, '\\.')}[\dTZ-]+(\.db)?\)\n$`));
    expect(result.code).toBe(0);
    expect(reportCount(workspace.db)).toBe(backupCount);
    // The backup's contents, and on the audit chain one more event: the restore, with the heads of what it replaced.
    const { audit_events: audit, ...restored } = contents(workspace.db);
    const { audit_events: backupAudit, ...fromBackup } = contents(backup);
    expect(restored).toEqual(fromBackup);
    expect(audit!.slice(0, -1)).toEqual(backupAudit);
    const restore = audit!.at(-1) as { kind: string; subject: string; text: string };
    expect(restore).toMatchObject({ kind: 'register_restored', subject: 'backup:urp-backup.db' });
    expect((await urp(['db', 'check'])).code).toBe(0);
    const saved = readdirSync(savedFolder).filter((name) => name.startsWith(savedPrefix));
    expect(saved).toHaveLength(1);
    const savedPath = join(savedFolder, saved[0]!);
    expect(octal(mode(savedPath))).toBe('0600');
    expect(reportCount(savedPath)).toBe(current);
    // The heads it names are those of the register it replaced, the copy saved beside it.
    const replaced = JSON.parse(restore.text).replaced;
    const savedHead = (table: string) => query<{ hash: string; n: number }>(savedPath, `select hash, (select count(*) from ${table}) as n from ${table} order by id desc limit 1`)[0]!;
    expect(replaced.report_events).toEqual({ count: savedHead('report_events').n, head: savedHead('report_events').hash });
    expect(replaced.audit_events).toEqual({ count: savedHead('audit_events').n, head: savedHead('audit_events').hash });
    expect(JSON.parse(restore.text).saved).toBe(saved[0]);
    // The register goes on from the restored numbers.
    const next = await urp(newReport(1, 'after-restore'));
    expect(next.code).toBe(0);
    expect(next.stdout.trim()).toBe(`${YEAR}/${String(backupCount + 1).padStart(6, '0')}`);
    // The append-only triggers are back.
    expect(() => execute(workspace.db, 'delete from report_events')).toThrow(/append-only/);
  });
});

describeSqliteOnly('a server keeps its own backups (pg_dump, or urp db backup before upgrading)')('automatic backup before a migration', () => {
  // This runs the migrator in process with a further migration, so that the
  // database is "between" versions whatever the latest real one is.
  const workspace = tempWorkspace();
  const extra = '2099-12-31-001-test-extra-table';
  afterEach(() => {
    delete migrations[extra];
  });
  afterAll(() => workspace.cleanup());

  async function migrateWithExtra(db: string): Promise<string[]> {
    migrations[extra] = {
      up: async (database) => {
        await sql`create table test_extra (id integer primary key)`.execute(database);
      },
    };
    const store = await openStore(db, { migrate: false });
    try {
      return await migrateToLatest(store);
    } finally {
      await store.close();
    }
  }

  it('writes an owner-only copy of a non-empty database beside it, as it was before the migration', async () => {
    const db = join(workspace.dir, 'full.db');
    expect((await runUrp(['--db', db, 'init'])).code).toBe(0);
    expect((await runUrp(['--db', db, ...newReport(1)])).code).toBe(0);
    const previous = process.umask(0o022);
    try {
      expect(await migrateWithExtra(db)).toEqual([extra]);
    } finally {
      process.umask(previous);
    }
    const copies = readdirSync(workspace.dir).filter((name) => name.startsWith(`full.db.before-migration-v${LATEST_SCHEMA_VERSION}-`));
    expect(copies).toHaveLength(1);
    const copy = join(workspace.dir, copies[0]!);
    expect(octal(mode(copy))).toBe('0600');
    expect(query(copy, 'pragma user_version')).toEqual([{ user_version: LATEST_SCHEMA_VERSION }]);
    expect(query(copy, 'select number from reports')).toEqual([{ number: `${YEAR}/000001` }]);
    expect(query(copy, `select name from sqlite_master where name = 'test_extra'`)).toEqual([]);
    // The database itself moved on.
    expect(query(db, 'pragma user_version')).toEqual([{ user_version: LATEST_SCHEMA_VERSION + 1 }]);
    expect(query(db, `select name from sqlite_master where name = 'test_extra'`)).toEqual([{ name: 'test_extra' }]);
  });

  it('writes none for a database without reports', async () => {
    const db = join(workspace.dir, 'empty.db');
    expect((await runUrp(['--db', db, 'init'])).code).toBe(0);
    expect((await runUrp(['--db', db, 'area', 'add', 'verde', '--name', 'Verde'])).code).toBe(0);
    expect(await migrateWithExtra(db)).toEqual([extra]);
    expect(readdirSync(workspace.dir).filter((name) => name.startsWith('empty.db.before-migration'))).toEqual([]);
  });
});

describe('files urp writes never destroy the database or what it reads', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const bad = join(workspace.dir, 'bad.csv');
  beforeAll(async () => {
    await smallRegister(urp);
    writeFileSync(bad, 'type,channel,received_at,first_name,last_name,phone,subject\nproblem,phone,2026-11-20T09:00,Anna,Neri,3331234567,\n');
  });
  afterAll(() => workspace.cleanup());

  sqliteOnly("about the database's own files")('export --output and import --rejects refuse the database, its WAL and the file being imported: exit 2, all intact', async () => {
    const hardLink = join(workspace.dir, 'hard.db');
    linkSync(workspace.db, hardLink);
    const symbolicLink = join(workspace.dir, 'soft.db');
    symlinkSync(workspace.db, symbolicLink);
    const linkedFolder = join(workspace.dir, 'same-folder');
    symlinkSync(workspace.dir, linkedFolder);
    const before = snapshot(workspace.db);
    const csvBytes = readFileSync(bad);
    for (const [args, message] of [
      [['export', '--output', workspace.db], /^urp: error: --output: .*urp\.db is the database: writing there would destroy it/],
      [['import', bad, '--skip-invalid', '--rejects', workspace.db], /^urp: error: --rejects: .*urp\.db is the database/],
      [['import', bad, '--skip-invalid', '--rejects', `${workspace.db}-wal`], /^urp: error: --rejects: .*urp\.db-wal is the database/],
      [['import', bad, '--skip-invalid', '--rejects', bad], /^urp: error: --rejects: .*bad\.csv is the file being read/],
      // By another name: a hard link, a symbolic link, a path through a linked folder.
      [['export', '--output', hardLink], /is the database/],
      [['export', '--output', symbolicLink], /is the database/],
      [['import', bad, '--skip-invalid', '--rejects', join(linkedFolder, 'urp.db-journal')], /is the database/],
      [['db', 'backup', symbolicLink], /the backup cannot be the database itself/],
    ] as const) {
      const result = await urp([...args]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(snapshot(workspace.db)).toBe(before);
    expect(readFileSync(bad)).toEqual(csvBytes);
    expect((await urp(['db', 'check'])).code).toBe(0);
  });

  it('--output into a pipe, a link to one or a link to a file writes through them: a FIFO stays a FIFO, a link stays a link', async () => {
    // A script reading a FIFO: the spreadsheet arrives there, and the FIFO is not replaced by a file.
    const fifo = join(workspace.dir, 'sheet.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => createReadStream(fifo).on('data', (chunk) => received.push(chunk as Buffer)).on('end', resolve).on('error', reject));
    const toFifo = await urp(['report', 'list', '--xlsx', '--output', fifo]);
    expect(toFifo.code, toFifo.stderr).toBe(0);
    await reading;
    expect(Buffer.concat(received).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(workspace.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // A link to standard output (as /dev/stdout is): the bytes go to the pipe urp was given.
    const toStdout = join(workspace.dir, 'out');
    symlinkSync('/dev/stdout', toStdout);
    const throughLink = await urp(['report', 'list', '--csv-excel', '--output', toStdout]);
    expect(throughLink.code, throughLink.stderr).toBe(0);
    expect(throughLink.stdout).toContain('Lampione spento');
    expect(lstatSync(toStdout).isSymbolicLink()).toBe(true);

    // A link to a regular file: the file it names is replaced whole, the link stays.
    const real = join(workspace.dir, 'real.csv');
    writeFileSync(real, 'old');
    const link = join(workspace.dir, 'link.csv');
    symlinkSync(real, link);
    expect((await urp(['report', 'list', '--csv-excel', '--output', link])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('Lampione spento');
  });

  it('db backup refuses a folder or a file that is not a database, and leaves them as they were', async () => {
    const folder = join(workspace.dir, 'a-folder');
    mkdirSync(folder);
    const folderMode = statSync(folder).mode;
    const note = join(workspace.dir, 'note.txt');
    writeFileSync(note, 'appunti');
    for (const target of [folder, note]) {
      const result = await urp(['db', 'backup', target]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/exists and is not a database: not overwritten/);
    }
    expect(statSync(folder).mode).toBe(folderMode);
    expect(readFileSync(note, 'utf8')).toBe('appunti');
    // An earlier backup is replaced.
    const backup = join(workspace.dir, 'earlier.db');
    expect((await urp(['db', 'backup', backup])).code).toBe(0);
    expect((await urp(['db', 'backup', backup])).code).toBe(0);
  });

  it('db backup refuses a database in use (its -wal beside it): another register open elsewhere is left as it was', async () => {
    const other = join(workspace.dir, 'other.db');
    expect((await runUrp(['--db', other, 'init'])).code).toBe(0);
    const inUse = new Database(other);
    try {
      inUse.prepare('select count(*) from reports').get();
      expect(existsSync(`${other}-wal`) || existsSync(`${other}-shm`)).toBe(true);
      const before = snapshot(other);
      const result = await urp(['db', 'backup', other]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^urp: error: file: .*other\.db is a database in use \(its -wal or -shm file is beside it\): not overwritten/);
      expect(snapshot(other)).toBe(before);
    } finally {
      inUse.close();
    }
  });

  it('export --output naming a folder refuses, and leaves the folder open to its owner as it was', async () => {
    const folder = join(workspace.dir, 'exports');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'x');
    const mode = statSync(folder).mode;
    for (const format of ['csv', 'xlsx']) {
      const result = await urp(['export', '--format', format, '--output', folder]);
      expect(result.code, format).toBe(2);
      expect(statSync(folder).mode, format).toBe(mode);
    }
    expect(readFileSync(join(folder, 'a.txt'), 'utf8')).toBe('x');
  });

  it('a file without an end (/dev/zero) is refused as soon as it passes what it could hold, not read until memory runs out', async () => {
    for (const [args, message] of [
      [['import', '/dev/zero'], /^urp: error: file: line 1 is longer than 16 MB/],
      [['import', '/dev/zero', '--format', 'jsonl'], /^urp: error: file: line 1 is longer than 16 MB/],
      [['reply-template', 'add', 'zero', '--title', 'Zero', '--file', '/dev/zero'], /^urp: error: file: \/dev\/zero is larger than 1 MB: not read/],
      [['template', 'set', 'reply', '--file', '/dev/zero'], /^urp: error: file: \/dev\/zero is larger than 1 MB: not read/],
      [['report', 'new', '--from-eml', '/dev/zero', '--type', 'complaint'], /^urp: error: --from-eml: the message is larger than 25 MB/],
    ] as const) {
      const result = await urp([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.split('\n').find((line) => line.startsWith('urp: error'))).toMatch(message);
    }
  }, 60_000);

  it('a template file that is not UTF-8 is refused naming the line (not stored with U+FFFD in place of the bad bytes); a BOM is dropped', async () => {
    // "Gentile cittadino," then, on line 3, "è" as Windows-1252 writes it (0xE8), as an old editor saves it.
    const latin1 = join(workspace.dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.concat([Buffer.from('Gentile {{citizen.name}},\n\nla segnalazione '), Buffer.from([0xe8]), Buffer.from(' stata presa in carico.\n')]));
    const before = snapshot(workspace.db);
    for (const args of [['reply-template', 'add', 'presa', '--title', 'Presa in carico', '--file', latin1], ['template', 'set', 'reply', '--file', latin1]]) {
      const result = await urp(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toBe(`urp: error: file: ${latin1} is not UTF-8 text (line 3): save it as UTF-8 (in most editors: Save as, encoding UTF-8) and try again; nothing was changed\n`);
    }
    expect(snapshot(workspace.db)).toBe(before);
    const withBom = join(workspace.dir, 'bom.txt');
    writeFileSync(withBom, '\uFEFFGentile {{citizen.name}},\nla segnalazione è stata presa in carico.\n');
    expect((await urp(['reply-template', 'add', 'bom', '--title', 'Con BOM', '--file', withBom])).code).toBe(0);
    expect(query(workspace.db, "select body from reply_templates where code = 'bom'")).toEqual([{ body: 'Gentile {{citizen.name}},\nla segnalazione è stata presa in carico.' }]);
  });

  it('import names a folder as such (no stack trace), and reads standard input as "-"', async () => {
    const folder = await urp(['import', workspace.dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`urp: error: file: ${workspace.dir} is a folder, not a file\n`);
    const piped = await urp(['import', '-'], { input: 'type,channel,received_at,first_name,last_name,phone,subject,external_ref\nproblem,phone,2026-11-20T09:00,Anna,Neri,3331234567,Da standard input,STDIN-1\n' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(/^read 1, imported 1, skipped 0, rejected 0, /m);
    expect(query(workspace.db, "select subject from reports where external_ref = 'STDIN-1'")).toEqual([{ subject: 'Da standard input' }]);
  });
});

describeSqliteOnly("the database's files and folders (a server's are the server's)")('files are readable by their owner only', () => {
  const workspace = tempWorkspace();
  let previousUmask: number;
  // The most permissive umask: the modes must come from urp, not from the environment.
  beforeAll(() => {
    previousUmask = process.umask(0);
  });
  afterAll(() => {
    process.umask(previousUmask);
    workspace.cleanup();
  });

  it('the folders urp creates are 0700, the database and its WAL 0600, backups 0600', async () => {
    const db = join(workspace.dir, 'new', 'deeper', 'urp.db');
    const urp = urpWith(db);
    expect((await urp(['init'])).code).toBe(0);
    expect((await urp(newReport(1))).code).toBe(0);
    expect(octal(mode(join(workspace.dir, 'new')))).toBe('0700');
    expect(octal(mode(join(workspace.dir, 'new', 'deeper')))).toBe('0700');
    expect(octal(mode(db))).toBe('0600');
    // Keep a connection open so that the WAL stays after urp ends; urp writes into it.
    const reader = new Database(db, { readonly: true });
    try {
      reader.prepare('select count(*) from reports').get();
      expect((await urp(newReport(2))).code).toBe(0);
      expect(existsSync(`${db}-wal`)).toBe(true);
      expect(octal(mode(`${db}-wal`))).toBe('0600');
      expect(octal(mode(`${db}-shm`))).toBe('0600');
    } finally {
      reader.close();
    }
    const copy = join(workspace.dir, 'copy.db');
    expect((await urp(['db', 'backup', copy])).code).toBe(0);
    expect(octal(mode(copy))).toBe('0600');
    expect((await urp(['db', 'restore', copy, '--yes'])).code).toBe(0);
    const saved = readdirSync(join(workspace.dir, 'new', 'deeper')).filter((name) => name.includes('before-restore'));
    expect(saved).toHaveLength(1);
    expect(octal(mode(join(workspace.dir, 'new', 'deeper', saved[0]!)))).toBe('0600');
  });

  it('the default data folder ($XDG_DATA_HOME/urp) is created 0700', async () => {
    const data = join(workspace.dir, 'xdg');
    const result = await runUrp(['init'], { env: { XDG_DATA_HOME: data } });
    expect(result.code).toBe(0);
    expect((await runUrp(newReport(1), { env: { XDG_DATA_HOME: data } })).code).toBe(0);
    expect(octal(mode(join(data, 'urp')))).toBe('0700');
    expect(octal(mode(join(data, 'urp', 'urp.db')))).toBe('0600');
  });
});

describe('error messages', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db);
  const TAX_CODE = 'RSSMRA85T10A562S';
  const EMAIL = 'mario.rossi@example.it';
  const PHONE = '333 1234567';
  const OTHER_TAX_CODE = 'BNCNNA80A41F205U';
  const OTHER_EMAIL = 'anna.bianchi@example.it';

  beforeAll(async () => {
    expect((await urp(['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--tax-code', TAX_CODE, '--email', EMAIL, '--phone', PHONE])).code).toBe(0);
    expect((await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Bianchi', '--tax-code', OTHER_TAX_CODE, '--email', OTHER_EMAIL, '--phone', '347 7654321'])).code).toBe(0);
    expect((await urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Buca', '--citizen', '1'])).code).toBe(0);
  });
  afterAll(() => workspace.cleanup());

  /** Every form in which a tax code, an e-mail or a phone number given below could show up. */
  const PERSONAL = [
    TAX_CODE, OTHER_TAX_CODE, 'RSSMRA85T10A562X', 'VRDLGU70B12H501', EMAIL, OTHER_EMAIL, 'mario.rossi', 'anna.bianchi', 'luigi.verdi',
    '1234567', '7654321', '12ab567', '+39333',
  ];

  it('no tax code, e-mail or phone number appears in the messages of refused commands', async () => {
    const refused: string[][] = [
      // duplicates
      ['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--email', EMAIL],
      ['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Verdi', '--tax-code', OTHER_TAX_CODE, '--email', 'luigi.verdi@example.it'],
      ['citizen', 'update', '2', '--email', EMAIL],
      ['citizen', 'update', '2', '--tax-code', TAX_CODE],
      // invalid values
      ['citizen', 'add', '--first-name', 'Mario', '--last-name', 'Rossi', '--tax-code', 'RSSMRA85T10A562X', '--email', 'luigi.verdi@example.it'],
      ['citizen', 'add', '--first-name', 'Luigi', '--last-name', 'Verdi', '--tax-code', 'VRDLGU70B12H501', '--email', 'luigi.verdi@example.it'],
      ['citizen', 'add', '--first-name', 'Luigi', '--last-name', 'Verdi', '--email', 'luigi.verdi@@example.it'],
      ['citizen', 'add', '--first-name', 'Luigi', '--last-name', 'Verdi', '--phone', '333 12ab567'],
      ['citizen', 'update', '1', '--email', 'mario.rossi@'],
      ['citizen', 'update', '1', '--phone', '+39333'],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--first-name', 'Luigi', '--last-name', 'Verdi', '--tax-code', 'RSSMRA85T10A562X', '--email', 'luigi.verdi@example.it'],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--first-name', 'Luigi', '--last-name', 'Verdi', '--email', 'luigi.verdi@example', '--phone', PHONE],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--email', EMAIL, '--tax-code', TAX_CODE],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--first-name', 'Luigi', '--last-name', 'Verdi', '--email', 'luigi.verdi@example.it'],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--tax-code', TAX_CODE, '--email', EMAIL],
      // personal data typed where a code belongs
      ['report', 'list', '--area', EMAIL],
      ['export', '--category', TAX_CODE],
      ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'x', '--citizen', '1', '--category', OTHER_EMAIL],
      ['report', 'assign', `${YEAR}/1`, '--area', PHONE],
      // erasure refused (open report, no --yes)
      ['citizen', 'erase', '1', '--yes'],
      ['citizen', 'erase', '2'],
    ];
    const results = await Promise.all(refused.map((args) => urp(args)));
    results.forEach((result, index) => {
      const args = refused[index]!.join(' ');
      expect(result.code, `${args}\n${result.stderr}`).toBe(2);
      expect(result.stderr, args).toMatch(/^urp: error: /);
      for (const value of PERSONAL) expect(result.stderr.toLowerCase(), args).not.toContain(value.toLowerCase());
      expect(result.stdout, args).toBe('');
    });
  });

  it('an import with bad personal data names the line and the column, not the value', async () => {
    const file = join(workspace.dir, 'bad.csv');
    writeFileSync(
      file,
      'tipo;canale;data;nome;cognome;codice_fiscale;email;telefono;oggetto;riferimento\n' +
        'reclamo;telefono;20/11/2026 09:30;Luigi;Verdi;;luigi.verdi@@example.it;;Buca;BAD-1\n' +
        'reclamo;telefono;20/11/2026 09:30;Luigi;Verdi;;;333 12ab567;Buca;BAD-2\n' +
        'reclamo;telefono;20/11/2026 09:30;Luigi;Verdi;RSSMRA85T10A562X;;3331234567;Buca;BAD-3\n',
    );
    const result = await urp(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('line 2, field email');
    expect(result.stderr).toContain('line 3, field telefono');
    expect(result.stderr).toContain('line 4, field codice_fiscale');
    for (const value of PERSONAL) expect(result.stderr.toLowerCase()).not.toContain(value.toLowerCase());
  });

  describeSqliteOnly('a path to a file')('a database path that cannot be a database is the user\'s input: exit 2, one line, nothing created', () => {
    const cases: Array<[string, () => string, RegExp]> = [
      ['a folder', () => {
        const folder = join(workspace.dir, 'a-folder.db');
        mkdirSync(folder, { recursive: true });
        return folder;
      }, /^urp: error: --db: cannot open the database .*a-folder\.db \(is it a folder/],
      ['a file of another kind', () => {
        const junk = join(workspace.dir, 'junk.db');
        writeFileSync(junk, Buffer.from(Array.from({ length: 8192 }, (_, index) => (index * 7919) % 251)));
        return junk;
      }, /^urp: error: --db: .*junk\.db is not a database/],
    ];
    for (const [what, make, message] of cases) {
      it(what, async () => {
        const db = make();
        const before = readdirSync(workspace.dir).sort();
        const result = await runUrp(['--db', db, 'report', 'list']);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(readdirSync(workspace.dir).sort()).toEqual(before);
      });
    }
  });

  describeSqliteOnly('a damaged file')('a fault of the environment, not a bug', () => {
    const cases: Array<[string, () => Promise<string>]> = [
      ['a database damaged past its first pages', async () => {
        const damaged = join(workspace.dir, 'damaged.db');
        expect((await runUrp(['--db', damaged, 'init', '--demo'])).code).toBe(0);
        const size = statSync(damaged).size;
        const descriptor = openSync(damaged, 'r+');
        writeSync(descriptor, Buffer.from(Array.from({ length: size - 8192 }, (_, index) => (index * 7919) % 251)), 0, size - 8192, 8192);
        closeSync(descriptor);
        return damaged;
      }],
    ];

    for (const [what, make] of cases) {
      it(`(${what}) is said in one line that points to db check and db restore, exit 1, no "bug"; the stack only with --debug`, async () => {
        const db = await make();
        const plain = await runUrp(['--db', db, 'report', 'list']);
        expect(plain.code).toBe(1);
        const lines = plain.stderr.trimEnd().split('\n');
        expect(lines).toEqual([`urp: error: the register ${db} is damaged: run urp db check to see the damage, and urp db restore to go back to a sound backup`]);
        expect(plain.stderr).not.toMatch(/bug|unexpected/i);
        expect(plain.stderr).not.toMatch(/\bat .*\.c?js:\d+/);
        expect(plain.stdout).toBe('');

        const debug = await runUrp(['--db', db, 'report', 'list', '--debug']);
        expect(debug.code).toBe(1);
        expect(debug.stderr.split('\n')[0]).toBe(lines[0]);
        expect(debug.stderr).toMatch(/\n\s+at .*\.c?js:\d+/);
      });
    }
  });
});
