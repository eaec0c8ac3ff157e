import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ME, YEAR, contents, keptMessage, query, runUrp, tempWorkspace, testServer, urpWith } from '../helpers/cli.js';
import { clusterUrl, psql } from '../helpers/postgres-cluster.mjs';

/**
 * Issue 13, what only a server has: the URL and its password, the login as
 * the operator, `urp db grant` with row-level security that holds for psql
 * too, `urp db copy` between the engines, and the rewrite of the tables
 * after an erasure by the login that owns them.
 */

const server = () => testServer();
const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
/** The same database, as another login (the test cluster trusts its socket: no password). */
const asLogin = (url: string, login: string) => clusterUrl(server(), databaseOf(url), login);

const FIXTURES = join(import.meta.dirname, '../fixtures');

/** A temporary folder for SQLite files beside the server's registers. */
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'urp-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('the server in the URL', () => {
  it('db status says engine and version; the password is never shown, in status or in errors', async () => {
    const workspace = tempWorkspace();
    try {
      const withPassword = workspace.db.replace(`${encodeURIComponent(ME)}@`, `${encodeURIComponent(ME)}:s3cr3t-Pa55@`);
      const status = await runUrp(['--db', withPassword, 'db', 'status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const parsed = JSON.parse(status.stdout);
      expect(parsed.engine).toMatch(/^PostgreSQL \d+\.\d+/);
      expect(parsed.path).toContain(':***@');
      expect(parsed.server).toEqual({ database: databaseOf(workspace.db), login: ME });
      expect(status.stdout + status.stderr).not.toContain('s3cr3t');
      const plain = await runUrp(['--db', withPassword, 'db', 'status']);
      expect(plain.stdout).toMatch(/^Engine\s+PostgreSQL \d+/m);
      expect(plain.stdout + plain.stderr).not.toContain('s3cr3t');

      // A server that is not there: exit 1, in words, the password masked.
      const nowhere = `postgresql://${ME}:s3cr3t-Pa55@${encodeURIComponent(join(workspace.dir, 'no-server'))}:5432/urp`;
      const unreachable = await runUrp(['--db', nowhere, 'report', 'list']);
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(/^urp: error: cannot reach the PostgreSQL server of postgresql:\/\/.*:\*\*\*@.*: is it running/);
      expect(unreachable.stderr).not.toContain('s3cr3t');
      expect(unreachable.stderr).not.toMatch(/bug|\n\s+at /);
      // A database the server does not have: exit 2, naming what to do.
      const missing = await runUrp(['--db', clusterUrl(server(), 'no_such_database'), 'report', 'list']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('the PostgreSQL server has no database named in');
      expect(missing.stderr).toContain('createdb');
      // URP_DB takes a URL too.
      const fromEnvironment = await runUrp(['db', 'status', '--json'], { env: { URP_DB: workspace.db } });
      expect(JSON.parse(fromEnvironment.stdout).server.database).toBe(databaseOf(workspace.db));
    } finally {
      workspace.cleanup();
    }
  });

  it('urp init creates the schema in an empty database; other commands refuse a database without one', async () => {
    const workspace = tempWorkspace({ init: false });
    try {
      const list = await runUrp(['--db', workspace.db, 'report', 'list']);
      expect(list.code).toBe(2);
      expect(list.stderr).toContain(`there is no database at ${workspace.db}`);
      expect(query(workspace.db, `select count(*) as n from pg_tables where schemaname = 'public'`)).toEqual([{ n: 0 }]);
      const grouped = await runUrp(['--db', workspace.db, 'init', '--group', 'nogroup']);
      expect(grouped.code).toBe(2);
      expect(grouped.stderr).toContain('is shared through its logins (urp db grant)');
      const init = await runUrp(['--db', workspace.db, 'init']);
      expect(init.code, init.stderr).toBe(0);
      const status = JSON.parse((await runUrp(['--db', workspace.db, 'db', 'status', '--json'])).stdout);
      expect(status.migrations.every((migration: { appliedAt: string | null }) => migration.appliedAt)).toBe(true);
      expect((await runUrp(['--db', workspace.db, 'db', 'check'])).code).toBe(0);
    } finally {
      workspace.cleanup();
    }
  });
});

describe('logins, roles and row-level security', () => {
  const workspace = tempWorkspace();
  // Each acts as their own login (no URP_OPERATOR).
  const urp = urpWith(workspace.db, { env: { URP_OPERATOR: undefined } });
  const as = (login: string) => urpWith(asLogin(workspace.db, login), { env: { URP_OPERATOR: undefined } });
  let roadReport: string;
  let wasteReport: string;
  const logins = ['ferretti_t', 'bruno_t', 'anna_t'];

  beforeAll(async () => {
    for (const [code, name] of [['strade', 'Strade'], ['ambiente', 'Ambiente']]) expect((await urp(['area', 'add', code, '--name', name])).code).toBe(0);
    const register = (subject: string, email: string) =>
      urp(['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', subject, '--first-name', 'Mario', '--last-name', subject, '--email', email]);
    roadReport = (await register('Buca', 'mario.buca@example.it')).stdout.trim();
    wasteReport = (await register('Cassonetto', 'mario.cassonetto@example.it')).stdout.trim();
    expect((await urp(['report', 'assign', roadReport, '--area', 'strade'])).code).toBe(0);
    expect((await urp(['report', 'assign', wasteReport, '--area', 'ambiente'])).code).toBe(0);
  });
  afterAll(() => {
    workspace.cleanup();
    // Logins belong to the whole server: removed with the test's register.
    for (const login of logins) psql(server(), 'postgres', `drop role if exists ${login}`);
    const database = databaseOf(workspace.db).slice(0, 48);
    for (const role of ['admin', 'urp', 'area']) psql(server(), 'postgres', `drop role if exists urp_${database}_${role}`);
  });

  it('db grant: the first login must be an admin bound to who runs it; then clerks get their own logins', async () => {
    const early = await urp(['db', 'grant', 'ferretti_t', '--role', 'area', '--area', 'strade']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('the first operator must be an admin');
    const me = await urp(['db', 'grant', ME, '--role', 'admin']);
    expect(me.code, me.stderr).toBe(0);
    expect(me.stderr).toContain(`Login ${ME} is administrator of this register`);
    const area = await urp(['db', 'grant', 'ferretti_t', '--role', 'area', '--area', 'strade']);
    expect(area.code, area.stderr).toBe(0);
    expect(area.stderr).toContain('Login ferretti_t is area office (strade) of this register');
    expect(area.stderr).toContain('\\password ferretti_t');
    expect((await urp(['db', 'grant', 'bruno_t', '--role', 'urp'])).code).toBe(0);
    const operators = JSON.parse((await urp(['operator', 'list', '--json'])).stdout);
    expect(operators.map((operator: { name: string; role: string; osUser: string; areas: string[] }) => [operator.name, operator.role, operator.osUser, operator.areas])).toEqual([
      ['bruno_t', 'urp', 'bruno_t', []],
      ['ferretti_t', 'area', 'ferretti_t', ['strade']],
      [ME, 'admin', ME, []],
    ]);
    // Only an admin grants.
    const refused = await as('bruno_t')(['db', 'grant', 'anna_t', '--role', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"urp db grant" is not allowed to operator "bruno_t" (URP clerk)');
  });

  it('the login is the operator: no flag, no OS account; --operator only for an admin', async () => {
    const status = JSON.parse((await as('ferretti_t')(['db', 'status', '--json'])).stdout);
    expect(status.you).toMatchObject({ account: 'ferretti_t', operator: 'ferretti_t', role: 'area' });
    const pretending = await as('ferretti_t')(['report', 'list', '--operator', 'bruno_t']);
    expect(pretending.code).toBe(2);
    expect(pretending.stderr).toContain('only an admin may act on behalf of another operator (you are "ferretti_t")');
    const acked = await as('ferretti_t')(['report', 'ack', roadReport]);
    expect(acked.code, acked.stderr).toBe(0);
    const timeline = query<{ operator: string }>(workspace.db, `select e.operator from report_events e join reports r on r.id = e.report_id where r.number = ? and e.kind = 'acknowledged'`, roadReport);
    expect(timeline).toEqual([{ operator: 'ferretti_t' }]);
  });

  it("an area login with plain pg reads and changes only its own area's reports and their events", async () => {
    const client = new pg.Client({ host: server().socketDir, port: server().port, user: 'ferretti_t', database: databaseOf(workspace.db) });
    await client.connect();
    try {
      const own = await client.query('select number from reports order by number');
      expect(own.rows).toEqual([{ number: roadReport }]);
      const other = await client.query('select * from reports where number = $1', [wasteReport]);
      expect(other.rows).toEqual([]);
      const otherEvents = await client.query('select e.* from report_events e where e.report_id = (select id from reports where number = $1)', [wasteReport]);
      expect(otherEvents.rows).toEqual([]);
      const everyEvent = await client.query('select distinct r.number from report_events e join reports r on r.id = e.report_id');
      expect(everyEvent.rows).toEqual([{ number: roadReport }]);
      // Citizens: only the one behind its report.
      expect((await client.query('select last_name from citizens')).rows).toEqual([{ last_name: 'Buca' }]);
      // Changing another area's report changes nothing; its own, it may (row-level security, not urp, decides).
      const changed = await client.query(`update reports set outcome = 'resolved' where number = $1`, [wasteReport]);
      expect(changed.rowCount).toBe(0);
      // Events stay append-only for it too, and other tables are not its to touch.
      await expect(client.query('delete from report_events')).rejects.toThrow(/permission denied|append-only/);
      await expect(client.query('select * from audit_events')).rejects.toThrow(/permission denied/);
      await expect(client.query(`update settings set value = '1'`)).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    expect(query(workspace.db, 'select subject, outcome from reports where number = ?', wasteReport)).toEqual([{ subject: 'Cassonetto', outcome: null }]);
    // Its statistics count what it may read: its own area's reports.
    const stats = JSON.parse((await as('ferretti_t')(['stats', '--json'])).stdout);
    expect(stats.total.received).toBe(1);
    expect(JSON.parse((await urp(['stats', '--json'])).stdout).total.received).toBe(2);
    // Through urp, the same: the other area's report is not there for it.
    const show = await as('ferretti_t')(['report', 'show', wasteReport]);
    expect(show.code).toBe(2);
    expect((await as('ferretti_t')(['report', 'list', '--json'])).stdout).not.toContain(wasteReport);
  });

  it('an area login cannot widen its view, change what makes a report, or queue a message to anyone; a URP clerk cannot make itself admin', async () => {
    const connect = async (user: string) => {
      const client = new pg.Client({ host: server().socketDir, port: server().port, user, database: databaseOf(workspace.db) });
      await client.connect();
      return client;
    };
    const [road] = query<{ id: number; citizen_id: number }>(workspace.db, 'select id, citizen_id from reports where number = ?', roadReport);
    const area = await connect('ferretti_t');
    try {
      // A temporary table is first in a session's search path: one called operators, naming the login admin, changes nothing.
      await area.query('create temporary table operators (id integer, os_user text, active integer, role text)');
      await area.query(`insert into operators values (1, current_user, 1, 'admin')`);
      expect((await area.query('select number from reports order by number')).rows).toEqual([{ number: roadReport }]);
      expect((await area.query('select last_name from citizens')).rows).toEqual([{ last_name: 'Buca' }]);
      await area.query('drop table operators');
      // Its own report's workflow columns it may change; its number, citizen, receipt and texts not.
      expect((await area.query('update reports set status = status where number = $1', [roadReport])).rowCount).toBe(1);
      for (const change of ['citizen_id = citizen_id + 1', `number = 'x'`, `subject = 'changed'`, `received_at = '2020-01-01T00:00:00.000Z'`]) {
        await expect(area.query(`update reports set ${change} where number = $1`, [roadReport]), change).rejects.toThrow(/permission denied/);
      }
      // A reply to its report's citizen, at their address, it may queue; the same to anyone else not.
      const message = (to: string, id: string) =>
        area.query(
          `insert into outbox (kind, report_id, citizen_id, recipient, channel, to_address, language, subject, body, message_id, status, created_at, updated_at)
           values ('reply', $1, $2, 'citizen', 'email', $3, 'it', 'Risposta', 'Testo', $4, 'pending', 'now', 'now')`,
          [road!.id, road!.citizen_id, to, id],
        );
      await area.query('begin');
      await message('mario.buca@example.it', '<ok@test>');
      await area.query('rollback');
      await expect(message('victim@example.org', '<phishing@test>')).rejects.toThrow(/row-level security/);
    } finally {
      await area.end();
    }
    const clerk = await connect('bruno_t');
    try {
      for (const statement of [`update operators set role = 'admin' where os_user = current_user`, `insert into areas (code, name, created_at, updated_at) values ('x', 'X', 'now', 'now')`, `update settings set value = '1'`, 'delete from operator_areas']) {
        await expect(clerk.query(statement), statement).rejects.toThrow(/permission denied/);
      }
    } finally {
      await clerk.end();
    }
    expect(query(workspace.db, 'select role from operators where name = ?', 'bruno_t')).toEqual([{ role: 'urp' }]);
  });

  it('an area login returns a report to URP and replies on its own; the chain stays whole', async () => {
    expect((await as('ferretti_t')(['report', 'return', roadReport, '--reason', 'Strada provinciale'])).code).toBe(0);
    expect(query(workspace.db, 'select status, area_id from reports where number = ?', roadReport)).toEqual([{ status: 'registered', area_id: null }]);
    expect((await as('bruno_t')(['report', 'assign', roadReport, '--area', 'strade'])).code).toBe(0);
    const reply = await as('ferretti_t')(['report', 'reply', roadReport, '--text', 'Riparata', '--outcome', 'resolved']);
    expect(reply.code, reply.stderr).toBe(0);
    const letter = await as('ferretti_t')(['report', 'letter', roadReport, '--output', join(workspace.dir, 'letter.pdf')]);
    expect(letter.code, letter.stderr).toBe(0);
    const check = await urp(['db', 'check']);
    expect(check.code, check.stdout).toBe(0);
    // The area's status shows the whole chains it appends to, not only the part it reads.
    const mine = JSON.parse((await as('ferretti_t')(['db', 'status', '--json'])).stdout);
    const all = JSON.parse((await urp(['db', 'status', '--json'])).stdout);
    expect(mine.chains).toEqual(all.chains);
  });

  it('an erasure by an admin who does not own the tables leaves their rewrite to the owner, said so', async () => {
    expect((await urp(['db', 'grant', 'anna_t', '--role', 'admin'])).code).toBe(0);
    const erase = await as('anna_t')(['citizen', 'erase', '2', '--force', '--yes']);
    expect(erase.code, erase.stderr).toBe(0);
    expect(erase.stderr).toContain('are rewritten (VACUUM FULL) only by the login that owns them');
    expect(query(workspace.db, `select task from maintenance order by task`).length).toBeGreaterThan(0);
    // The owner's next command (any) finishes it.
    expect((await urp(['db', 'status'])).code).toBe(0);
    expect(query(workspace.db, `select task from maintenance`)).toEqual([]);
  });
});

describe('db copy: SQLite to PostgreSQL and back', () => {
  it('copies the whole register, chains byte for byte, checks it, and refuses a target that is not empty', async () => {
    const file = folder();
    const sqliteDb = join(file.dir, 'urp.db');
    const serverWorkspace = tempWorkspace({ init: false });
    try {
      expect((await runUrp(['--db', sqliteDb, 'init', '--demo'])).code).toBe(0);
      const eml = await runUrp(['--db', sqliteDb, 'report', 'new', '--from-eml', join(FIXTURES, 'eml', 'html.eml'), '--type', 'problem']);
      expect(eml.code, eml.stderr).toBe(0);

      const there = await runUrp(['--db', sqliteDb, 'db', 'copy', '--to', serverWorkspace.db, '--json']);
      expect(there.code, there.stderr).toBe(0);
      const copied = JSON.parse(there.stdout);
      expect(copied).toMatchObject({ engine: 'postgres', sound: true, problems: [], differences: [] });
      expect(there.stderr).toMatch(/Register copied to postgresql:.*: \d+ reports, \d+ events, 61 citizens; checked, counts and chain heads equal/);
      const sqliteStatus = JSON.parse((await runUrp(['--db', sqliteDb, 'db', 'status', '--json'])).stdout);
      const serverStatus = JSON.parse((await runUrp(['--db', serverWorkspace.db, 'db', 'status', '--json'])).stdout);
      // The source recorded the copy (a read of every citizen) before taking its snapshot: same chains.
      expect(serverStatus.chains).toEqual(sqliteStatus.chains);
      expect(contents(serverWorkspace.db)).toEqual(contents(sqliteDb));
      // The kept e-mail message came along, from the folder into the table.
      const [message] = query<{ file_name: string }>(serverWorkspace.db, 'select file_name from inbound_messages');
      expect(keptMessage(serverWorkspace.db, message!.file_name)?.equals(readFileSync(join(FIXTURES, 'eml', 'html.eml')))).toBe(true);

      // The same figures from both engines.
      const asOf = ['--as-of', '2026-12-01T12:00'];
      for (const args of [['stats', '--json', ...asOf], ['stats', '--by', 'month', '--json', ...asOf], ['overdue', '--json', ...asOf], ['queue', '--json', ...asOf], ['report', 'list', '--json', '--limit', '500', ...asOf], ['export', '--format', 'jsonl', ...asOf], ['report', 'list', '--search', 'velocita', '--json', ...asOf]]) {
        const [a, b] = await Promise.all([runUrp(['--db', sqliteDb, ...args]), runUrp(['--db', serverWorkspace.db, ...args])]);
        expect(b.code, args.join(' ')).toBe(0);
        expect(b.stdout, args.join(' ')).toBe(a.stdout);
      }

      // Into a register that holds something: refused, nothing changed.
      const before = contents(serverWorkspace.db);
      const again = await runUrp(['--db', sqliteDb, 'db', 'copy', '--to', serverWorkspace.db]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already holds a register: db copy writes only into an empty one');
      expect(contents(serverWorkspace.db)).toEqual(before);

      // And back, into a new file: the same register again.
      const back = join(file.dir, 'back.db');
      const home = await runUrp(['--db', serverWorkspace.db, 'db', 'copy', '--to', back]);
      expect(home.code, home.stderr).toBe(0);
      const backContents = contents(back);
      const serverContents = contents(serverWorkspace.db);
      expect(backContents).toEqual(serverContents);
      expect(keptMessage(back, message!.file_name)?.equals(readFileSync(join(FIXTURES, 'eml', 'html.eml')))).toBe(true);
      expect((await runUrp(['--db', back, 'db', 'check'])).code).toBe(0);
    } finally {
      serverWorkspace.cleanup();
      file.cleanup();
    }
  });

  it("a guarded register's operators come along: the admin's account is the login of the same name, who binds the others", async () => {
    const file = folder();
    const sqliteDb = join(file.dir, 'urp.db');
    const serverWorkspace = tempWorkspace({ init: false });
    const login = 'carla_copy';
    try {
      const local = urpWith(sqliteDb, { env: { URP_OPERATOR: undefined } });
      expect((await local(['init'])).code).toBe(0);
      expect((await local(['operator', 'add', 'boss', '--role', 'admin', '--os-user', ME])).code).toBe(0);
      expect((await local(['area', 'add', 'strade', '--name', 'Strade'])).code).toBe(0);
      expect((await local(['operator', 'add', 'carla', '--role', 'area', '--area', 'strade', '--os-user', 'carla'])).code).toBe(0);
      expect((await local(['db', 'copy', '--to', serverWorkspace.db])).code).toBe(0);
      const remote = urpWith(serverWorkspace.db, { env: { URP_OPERATOR: undefined } });
      expect(JSON.parse((await remote(['db', 'status', '--json'])).stdout).you).toMatchObject({ account: ME, operator: 'boss', role: 'admin' });
      const granted = await remote(['db', 'grant', login, '--role', 'area', '--area', 'strade']);
      expect(granted.code, granted.stderr).toBe(0);
      const status = JSON.parse((await urpWith(asLogin(serverWorkspace.db, login), { env: { URP_OPERATOR: undefined } })(['db', 'status', '--json'])).stdout);
      expect(status.you).toMatchObject({ account: login, operator: login, role: 'area' });
    } finally {
      serverWorkspace.cleanup();
      file.cleanup();
      psql(server(), 'postgres', `drop owned by ${login}; drop role if exists ${login}`);
      const database = databaseOf(serverWorkspace.db).slice(0, 48);
      for (const role of ['admin', 'urp', 'area']) psql(server(), 'postgres', `drop role if exists urp_${database}_${role}`);
    }
  });

  it('db grant is for a server: on a SQLite file it says what to use instead', async () => {
    const file = folder();
    const sqliteDb = join(file.dir, 'urp.db');
    try {
      expect((await runUrp(['--db', sqliteDb, 'init'])).code).toBe(0);
      const grant = await runUrp(['--db', sqliteDb, 'db', 'grant', 'someone', '--role', 'urp']);
      expect(grant.code).toBe(2);
      expect(grant.stderr).toContain('on SQLite, bind operators to accounts with urp operator add --os-user');
    } finally {
      file.cleanup();
    }
  });
});

describe('migrations', () => {
  it('a register at the previous schema version migrates to the latest, keeping its rows', async () => {
    const workspace = tempWorkspace({ init: false });
    try {
      const { openStore } = await import('../../src/storage/database.js');
      const { Migrator } = await import('kysely');
      const { migrationProviderFor, postgresMigrations } = await import('../../src/storage/migrations.js');
      const names = Object.keys(postgresMigrations);
      const store = await openStore(workspace.db, { create: true, migrate: false });
      try {
        const migrator = new Migrator({ db: store.db, provider: migrationProviderFor('postgres') });
        const previous = names.at(-2)!;
        const { error } = await migrator.migrateTo(previous);
        expect(error).toBeUndefined();
      } finally {
        await store.close();
      }
      // The previous version's schema holds a report; opening it with this urp migrates it.
      psql(server(), databaseOf(workspace.db), `insert into areas (code, name, created_at, updated_at) values ('strade', 'Strade', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')`);
      const status = await runUrp(['--db', workspace.db, 'db', 'status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).migrations.every((migration: { appliedAt: string | null }) => migration.appliedAt)).toBe(true);
      expect(query(workspace.db, 'select code from areas')).toEqual([{ code: 'strade' }]);
      const added = await runUrp(['--db', workspace.db, 'report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', 'Buca', '--first-name', 'A', '--last-name', 'B', '--email', 'a@b.it']);
      expect(added.stdout.trim()).toBe(`${YEAR}/000001`);
      expect((await runUrp(['--db', workspace.db, 'db', 'check'])).code).toBe(0);
    } finally {
      workspace.cleanup();
    }
  });
});
