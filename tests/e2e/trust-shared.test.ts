import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/cli.js';
import { type OsAccount, OsFixtures, folderFor, rootOnly, urpAs } from '../helpers/os-users.js';

/**
 * Issue 10, deliver 3: several OS accounts share one register on one
 * machine. `urp init --group G` makes the folder 2770 and the database,
 * its WAL and SHM and its backups 0660, all the group's; two accounts of G
 * register and read; an account outside G cannot open it at all.
 */

const mode = (path: string) => statSync(path).mode & 0o7777;

describe.skipIf(rootOnly('a register shared by the accounts of a group', ['useradd', 'groupadd']))('one register, two accounts of a group', () => {
  const os = new OsFixtures();
  let group: { name: string; gid: number };
  let anna: OsAccount;
  let bruno: OsAccount;
  let outsider: OsAccount;
  let folder: string;
  let db: string;
  /** A process of Bruno's keeping the register open, so that its -wal and -shm exist to be looked at. */
  let holder: ChildProcessByStdio<Writable, Readable, null> | undefined;

  beforeAll(async () => {
    group = os.group('sh');
    anna = os.user('ann', { group: group.name });
    bruno = os.user('bru', { group: group.name });
    outsider = os.user('out');
    const base = os.folder();
    chmodSync(base, 0o755);
    // Anna's own folder; urp creates the register's folder inside it, the group's.
    folder = join(folderFor(anna, join(base, 'anna')), 'urp');
    db = join(folder, 'urp.db');
  });
  afterAll(() => {
    if (holder && holder.exitCode === null) holder.kill();
    os.cleanup();
  });

  it('urp init --group makes the folder 2770 and the database 0660, the group\'s', async () => {
    const init = await urpAs(anna, db)(['init', '--group', group.name]);
    expect(init.code, init.stderr).toBe(0);
    expect(mode(folder)).toBe(0o2770);
    expect(statSync(folder).gid).toBe(group.gid);
    expect(mode(db)).toBe(0o660);
    expect(statSync(db).gid).toBe(group.gid);
  });

  it('both accounts register and read, each as their own operator', async () => {
    const asAnna = urpAs(anna, db);
    const asBruno = urpAs(bruno, db);
    for (const [args, who] of [
      [['operator', 'add', 'anna', '--role', 'admin', '--os-user', anna.name], asAnna],
      [['operator', 'add', 'bruno', '--role', 'urp', '--os-user', bruno.name], asAnna],
      [['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Di Anna', '--first-name', 'Mario', '--last-name', 'Rossi', '--phone', '3331234567'], asAnna],
      [['report', 'new', '--type', 'reclamo', '--channel', 'sportello', '--subject', 'Di Bruno', '--first-name', 'Lucia', '--last-name', 'Neri', '--phone', '3337654321'], asBruno],
    ] as const) {
      const result = await who([...args]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    for (const who of [asAnna, asBruno]) {
      const list = await who(['report', 'list']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('Di Anna');
      expect(list.stdout).toContain('Di Bruno');
    }
    expect(query(db, "select operator from report_events where kind = 'registered' order by id")).toEqual([{ operator: 'anna' }, { operator: 'bruno' }]);
  });

  it('the -wal and -shm made while the register is open are 0660 and the group\'s too, and so is a backup', async () => {
    const script = `
      const Database = require(process.argv[1]);
      const db = new Database(process.argv[2]);
      db.prepare('select count(*) from reports').get();
      process.stdout.write('open\\n');
      setInterval(() => {}, 1000);`;
    holder = spawn(process.execPath, ['-e', script, createRequire(import.meta.url).resolve('better-sqlite3'), db], { uid: bruno.uid, gid: bruno.gid, stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder!.stdout.once('data', () => resolve());
      holder!.once('exit', (code) => reject(new Error(`the holder ended (${code})`)));
    });
    // Anna writes while Bruno's process holds it open: the log is written, not removed at her exit.
    const note = await urpAs(anna, db)(['report', 'note', query<{ number: string }>(db, 'select number from reports limit 1')[0]!.number, '--text', 'Richiamato']);
    expect(note.code, note.stderr).toBe(0);
    for (const file of [`${db}-wal`, `${db}-shm`]) {
      expect(existsSync(file), file).toBe(true);
      expect(mode(file), file).toBe(0o660);
      expect(statSync(file).gid, file).toBe(group.gid);
    }
    const backup = join(folder, 'copia.db');
    const result = await urpAs(bruno, db)(['db', 'backup', backup]);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(backup)).toBe(0o660);
    expect(statSync(backup).gid).toBe(group.gid);
    holder!.kill();
  });

  it('an account outside the group cannot open it (exit 2, "cannot open")', async () => {
    const asOutsider = urpAs(outsider, db);
    for (const args of [['report', 'list'], ['db', 'status'], ['report', 'new', '--type', 'reclamo', '--channel', 'telefono', '--subject', 'Intruso', '--first-name', 'X', '--last-name', 'Y', '--phone', '3330000000']]) {
      const result = await asOutsider(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`cannot open the database ${db}`);
    }
  });
});
