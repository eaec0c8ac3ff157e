import { chmodSync, closeSync, copyFileSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, ME, type RunResult, addAreasAndCategories, query, snapshot, tempWorkspace, urpWith, describeSqliteOnly } from '../helpers/cli.js';
import { type OsAccount, OsFixtures, folderFor, rootOnly, urpAs } from '../helpers/os-users.js';

/**
 * Issue 10, "faults are called bugs": a full disk, a read-only file, read-only
 * media, a damaged file, an unknown migration and a failed backup are each
 * said in words (exit 1), never as "a bug in urp", never with a stack trace.
 * Reading commands work on a read-only file and on read-only media; a failed
 * backup leaves no file behind.
 */

const SELF = { URP_OPERATOR: undefined };

/** Exit 1, the message given, and nothing a person would take for a crash. */
function expectFault(result: RunResult, message: RegExp | string, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(1);
  if (typeof message === 'string') expect(result.stderr, what).toContain(message);
  else expect(result.stderr, what).toMatch(message);
  expect(result.stderr, what).not.toMatch(/bug|unexpected error|report it/i);
  expect(result.stderr, what).not.toMatch(/^\s+at /m);
  expect(result.stderr.trim().split('\n'), what).toHaveLength(1);
}

const reportNew = (subject: string) => ['report', 'new', '--type', 'segnalazione', '--channel', 'telefono', '--subject', subject, '--category', 'buche', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '333 1234567'];

/** Commands that only read, and the output each must still give. */
const READS: Array<{ args: string[]; shows: RegExp }> = [
  { args: ['report', 'list'], shows: /Buca 1/ },
  { args: ['report', 'show', '__NUMBER__'], shows: /Buca 1/ },
  { args: ['overdue'], shows: /Late to assign/ },
  { args: ['stats', '--json'], shows: /"received"/ },
  { args: ['citizen', 'find', 'rossi'], shows: /Rossi/ },
  { args: ['db', 'status'], shows: /Reports\s+2/ },
  { args: ['db', 'check'], shows: /^$/ },
];

/** Writing commands, each of which must be refused in words. */
const WRITES: string[][] = [reportNew('Buca 3'), ['area', 'add', 'verde', '--name', 'Verde'], ['report', 'note', '__NUMBER__', '--text', 'nota'], ['config', 'set', 'due-soon-days', '3']];

async function prepareRegister(urp: ReturnType<typeof urpWith>): Promise<string> {
  await addAreasAndCategories(urp);
  let number = '';
  for (const subject of ['Buca 1', 'Buca 2']) {
    const result = await urp(reportNew(subject));
    expect(result.code, result.stderr).toBe(0);
    number ||= result.stdout.trim();
  }
  return number;
}

const withNumber = (args: readonly string[], number: string) => args.map((arg) => (arg === '__NUMBER__' ? number : arg));

describeSqliteOnly('a mistyped file path')('a mistyped --db', () => {
  const workspace = tempWorkspace();
  afterAll(() => workspace.cleanup());

  it('no command but init creates a register: exit 2 with the path and the hint urp init, nothing made', async () => {
    const typo = join(workspace.dir, 'typo-folder', 'urp.dbb');
    const urp = urpWith(typo, { env: SELF });
    for (const args of [reportNew('Buca'), ['area', 'add', 'verde', '--name', 'Verde'], ['citizen', 'add', '--first-name', 'A', '--last-name', 'B', '--phone', '3331234567'], ['config', 'set', 'due-soon-days', '3'], ['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME], ['report', 'list'], ['overdue', '--check'], ['db', 'migrate'], ['db', 'status']]) {
      const result = await urp(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toBe(`urp: error: --db: there is no database at ${typo}: check --db or URP_DB, or create it with urp init\n`);
      expect(result.stdout).toBe('');
    }
    expect(readdirSync(workspace.dir)).toEqual(['urp.db']);
  });
});

describeSqliteOnly("it damages the file's pages")('a damaged file', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  let number: string;
  beforeAll(async () => {
    number = await prepareRegister(urp);
    // Garbage over the pages of the reports table and its indexes (the file's header and schema stay readable).
    const pages = query<{ rootpage: number }>(workspace.db, "select rootpage from sqlite_master where tbl_name = 'reports' and rootpage > 0");
    const connection = new Database(workspace.db);
    connection.pragma('wal_checkpoint(TRUNCATE)');
    connection.close();
    const descriptor = openSync(workspace.db, 'r+');
    try {
      // The whole page: its type byte too, so that SQLite cannot mistake it for an empty one.
      for (const { rootpage } of pages) writeSync(descriptor, Buffer.alloc(4096, 0x5a), 0, 4096, (rootpage - 1) * 4096);
    } finally {
      closeSync(descriptor);
    }
  });
  afterAll(() => workspace.cleanup());

  it('db check lists what SQLite finds, and exits 1', async () => {
    const result = await urp(['db', 'check']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^integrity: .+/m);
    expect(result.stdout).toMatch(/page \d+|malformed|corrupt|Tree \d+/i);
    expect(result.stderr).not.toMatch(/bug|unexpected/i);
    const json = JSON.parse((await urp(['db', 'check', '--json'])).stdout);
    expect(json.sound).toBe(false);
    expect(json.problems.length).toBeGreaterThan(0);
    expect(json.problems.every((problem: { check: string }) => problem.check === 'integrity')).toBe(true);
  });

  it('every other command says the file is damaged and points to db check and db restore', async () => {
    for (const args of [['report', 'list'], ['report', 'show', number], reportNew('Buca 3'), ['overdue'], ['stats'], ['export', '--format', 'json']]) {
      expectFault(await urp(args), `the register ${workspace.db} is damaged: run urp db check to see the damage, and urp db restore to go back to a sound backup`, args.join(' '));
    }
  });
});

describeSqliteOnly('it writes into the file with the sqlite3 driver')('an unknown migration in the register', () => {
  const workspace = tempWorkspace();
  const urp = urpWith(workspace.db, { env: SELF });
  beforeAll(async () => {
    await prepareRegister(urp);
  });
  afterAll(() => workspace.cleanup());

  const withUnknown = (userVersion: number | undefined) => {
    const copy = join(workspace.dir, `unknown-${userVersion ?? 'same'}.db`);
    const source = new Database(workspace.db);
    try {
      source.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      source.close();
    }
    copyFileSync(workspace.db, copy);
    const connection = new Database(copy);
    try {
      connection.prepare("insert into kysely_migration (name, timestamp) values ('2027-03-01-001-from-another-urp', '2027-03-01T00:00:00.000Z')").run();
      if (userVersion !== undefined) connection.pragma(`user_version = ${userVersion}`);
    } finally {
      connection.close();
    }
    return copy;
  };

  it('is named, with what to do, whether migrations are pending or not', async () => {
    for (const version of [undefined, 3]) {
      const db = withUnknown(version);
      const before = snapshot(db);
      for (const args of [['report', 'list'], reportNew('Buca 3'), ['db', 'status']]) {
        expectFault(await urpWith(db, { env: SELF })(args), "the register has a migration this urp does not know (2027-03-01-001-from-another-urp): it was written by another or newer urp. Update urp", `${args.join(' ')} (user_version ${version ?? 'unchanged'})`);
      }
      expect(snapshot(db)).toBe(before);
    }
  });
});

// About the database file on a full or read-only medium: SQLite only.
(ENGINE === 'sqlite' ? describe.skipIf(rootOnly('faults of the disk and the media (tmpfs mounts, another account)', ['mount', 'umount', 'useradd', 'userdel'])) : describe.skip)('faults of the disk, the file and the media', () => {
  const os = new OsFixtures();
  afterAll(() => os.cleanup());

  /** Fills the file system of `folder` until it has no byte left. */
  function fill(folder: string): void {
    const descriptor = openSync(join(folder, 'filler'), 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (;;) writeSync(descriptor, chunk, 0, size);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
      }
    } finally {
      closeSync(descriptor);
    }
  }

  describe('a full disk', () => {
    let db: string;
    let number = '';
    let urp: ReturnType<typeof urpWith>;
    beforeAll(async () => {
      const mount = os.tmpfs('3m');
      db = join(mount, 'register', 'urp.db');
      urp = urpWith(db, { env: SELF });
      expect((await urp(['init'])).code).toBe(0);
      expect((await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME])).code).toBe(0);
      number = await prepareRegister(urp);
      fill(mount);
    });

    /** The register's contents, read from a copy elsewhere (reading it in place needs room for a -shm). */
    const contents = () => {
      const copy = join(os.folder(), 'copy.db');
      copyFileSync(db, copy);
      return snapshot(copy);
    };

    it('writing commands say the disk is full, and write nothing', async () => {
      const before = contents();
      for (const args of WRITES) expectFault(await urp(withNumber(args, number)), 'the disk is full: nothing was written. Free some space and try again', args.join(' '));
      expect(contents()).toBe(before);
    });

    it('reading commands still work', async () => {
      for (const { args, shows } of READS) {
        const result = await urp(withNumber(args, number));
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stdout, args.join(' ')).toMatch(shows);
      }
    });
  });

  /** A small register of its own, with an operator and a report, for a test that writes its copies elsewhere. */
  async function withRegister(test: (urp: ReturnType<typeof urpWith>) => Promise<void>): Promise<void> {
    const workspace = tempWorkspace();
    try {
      const urp = urpWith(workspace.db, { env: SELF });
      await prepareRegister(urp);
      await test(urp);
    } finally {
      workspace.cleanup();
    }
  }

  describe('a backup that fails', () => {
    it('leaves no file behind, and says so in words', () =>
      withRegister(async (urp) => {
        const target = os.tmpfs('64k');
        const result = await urp(['db', 'backup', join(target, 'copy.db')]);
        expectFault(result, /the disk is full|the backup could not be written to .*copy\.db .*: no file was left there/, 'db backup');
        expect(readdirSync(target)).toEqual([]);
      }));
  });

  describe('a restore on a disk that fills', () => {
    it('leaves the register as it was, and no saved copy of it taking the room', async () => {
      const mount = os.tmpfs('24m');
      const db = join(mount, 'urp.db');
      const urp = urpWith(db, { env: SELF });
      expect((await urp(['init'])).code).toBe(0);
      expect((await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME])).code).toBe(0);
      await prepareRegister(urp);
      // The backup: this register, then three thousand more reports (elsewhere): restoring it needs megabytes.
      const elsewhere = os.folder();
      const backup = join(elsewhere, 'bigger.db');
      expect((await urp(['db', 'backup', backup])).code).toBe(0);
      const rows = Array.from({ length: 3000 }, (_, index) => `problem,phone,2026-11-20T09:30,Persona${index},Verdi,verdi${index}@example.it,Segnalazione numero ${index},${'Una descrizione lunga. '.repeat(12)}`);
      writeFileSync(join(elsewhere, 'rows.csv'), ['type,channel,received_at,first_name,last_name,email,subject,description', ...rows, ''].join('\n'));
      const imported = await urpWith(backup, { env: SELF })(['import', join(elsewhere, 'rows.csv')]);
      expect(imported.code, imported.stderr).toBe(0);
      const before = snapshot(db);
      // Room for the copy of the register saved beside it, and its journal, not for the backup's rows.
      fill(mount);
      const filler = join(mount, 'filler');
      truncateSync(filler, statSync(filler).size - statSync(db).size - 512 * 1024);
      const result = await urp(['db', 'restore', backup, '--yes']);
      expectFault(result, 'the disk is full', 'db restore');
      expect(readdirSync(mount).filter((name) => name.includes('before-restore'))).toEqual([]);
      rmSync(filler);
      expect(snapshot(db)).toBe(before);
    });
  });

  describe('an export that fails', () => {
    it('leaves no file of personal data behind, in any format, and says the disk is full', () =>
      withRegister(async (urp) => {
        const target = os.tmpfs('64k');
        fill(target);
        for (const format of ['csv', 'json', 'jsonl', 'xlsx']) {
          const result = await urp(['export', '--format', format, '--output', join(target, `export.${format}`)]);
          expect(result.code, `${format}: ${result.stderr}`).not.toBe(0);
          expect(result.stderr, format).toMatch(/the disk is full|cannot write/);
          expect(readdirSync(target), format).toEqual(['filler']);
        }
      }));
  });

  describe('read-only media', () => {
    let db: string;
    let number = '';
    let urp: ReturnType<typeof urpWith>;
    beforeAll(async () => {
      const mount = os.tmpfs('8m');
      db = join(mount, 'register', 'urp.db');
      urp = urpWith(db, { env: SELF });
      expect((await urp(['init'])).code).toBe(0);
      expect((await urp(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME])).code).toBe(0);
      number = await prepareRegister(urp);
      os.remountReadOnly(mount);
    });

    it('reading commands work', async () => {
      for (const { args, shows } of READS) {
        const result = await urp(withNumber(args, number));
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stdout, args.join(' ')).toMatch(shows);
      }
    });

    it('writing commands, and reads that must be recorded, say read-only', async () => {
      for (const args of WRITES) expectFault(await urp(withNumber(args, number)), `the register ${db} is read-only (file, folder or media): nothing was written`, args.join(' '));
      for (const args of [['citizen', 'export', '1'], ['export', '--format', 'json']]) {
        const result = await urp(args);
        expectFault(result, `this read of personal data must be recorded in the audit log, and the register ${db} is read-only: nothing was shown`, args.join(' '));
        expect(result.stdout).toBe('');
      }
    });
  });

  describe('a read-only database file (chmod 0400, an account that is not root)', () => {
    let clerk: OsAccount;
    let db: string;
    let number = '';
    let urp: ReturnType<typeof urpAs>;
    beforeAll(async () => {
      clerk = os.user('ro');
      const folder = folderFor(clerk, join(os.folder(), 'office'), 0o700);
      chmodSync(join(folder, '..'), 0o755);
      db = join(folder, 'urp.db');
      urp = urpAs(clerk, db);
      expect((await urp(['init'])).code).toBe(0);
      expect((await urp(['operator', 'add', 'clerk', '--role', 'admin', '--os-user', clerk.name])).code).toBe(0);
      await addAreasAndCategories(urp as never);
      for (const subject of ['Buca 1', 'Buca 2']) {
        const result = await urp(reportNew(subject));
        expect(result.code, result.stderr).toBe(0);
        number ||= result.stdout.trim();
      }
      for (const leftover of ['-wal', '-shm']) rmSync(`${db}${leftover}`, { force: true });
      chmodSync(db, 0o400);
      expect(statSync(db).mode & 0o777).toBe(0o400);
    });

    it('reading commands work', async () => {
      for (const { args, shows } of READS) {
        const result = await urp(withNumber(args, number));
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
        expect(result.stdout, args.join(' ')).toMatch(shows);
      }
    });

    it('writing commands say read-only', async () => {
      for (const args of WRITES) expectFault(await urp(withNumber(args, number)), `the register ${db} is read-only (file, folder or media): nothing was written`, args.join(' '));
    });
  });
});
