import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, inject, it } from 'vitest';
import { clusterUrl, psql } from './postgres-cluster.mjs';

export const URP_BIN = resolve(import.meta.dirname, '../../bin/urp');

/**
 * The engine the end-to-end tests run against (issue 13): SQLite, or, in the
 * `postgres` project of vitest.config.ts (URP_TEST_ENGINE=postgres), a
 * database per test workspace on the throwaway cluster of tests/setup/postgres.ts.
 */
export const ENGINE: 'sqlite' | 'postgres' = process.env.URP_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * For a test that is about SQLite itself (its file, its modes, its journal,
 * its pages): run on SQLite, left out of the PostgreSQL run with the reason
 * in its name. Everything else runs on both.
 */
export function sqliteOnly(reason: string) {
  return (name: string, fn: () => unknown, timeout?: number) =>
    ENGINE === 'sqlite' ? it(name, fn, timeout) : it.skip(`${name} [SQLite only: ${reason}]`, fn, timeout);
}

/** A group of such tests. */
export function describeSqliteOnly(reason: string) {
  return (name: string, fn: () => void) => (ENGINE === 'sqlite' ? describe(name, fn) : describe.skip(`${name} [SQLite only: ${reason}]`, fn));
}

/** Likewise for a test that needs PostgreSQL (a login of its own, row-level security, the server's files). */
export function postgresOnly(reason: string) {
  return (name: string, fn: () => unknown, timeout?: number) =>
    ENGINE === 'postgres' ? it(name, fn, timeout) : it.skip(`${name} [PostgreSQL only: ${reason}]`, fn, timeout);
}

/**
 * Who urp sees acting: the operating-system account running the tests, and
 * on PostgreSQL the login of the same name (the test cluster's superuser).
 */
export const ME = userInfo().username;

/** The test cluster (the PostgreSQL run only). */
export function testServer() {
  return inject('postgres');
}

let databases = 0;

/** The year (in Rome) of reports registered now: their numbers are YEAR/nnnnnn. */
export const YEAR = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date()));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  /** What urp wrote to stderr, without the open-access notice (see `notices`). */
  readonly stderr: string;
  /** How many times stderr said that the register is in open access (tests/e2e/identity.test.ts checks it is once). */
  readonly openAccessNotices: number;
}

/** The line every command prints on a register without operators (src/i18n/messages.ts identity.openAccess). */
export const OPEN_ACCESS_NOTICE = /^urp: (open access: no operators, so anyone|accesso libero: senza operatori chiunque).*\n/gm;

export function withoutNotice(stderr: string): { stderr: string; openAccessNotices: number } {
  const notices = stderr.match(OPEN_ACCESS_NOTICE)?.length ?? 0;
  return { stderr: stderr.replace(OPEN_ACCESS_NOTICE, ''), openAccessNotices: notices };
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
}

/**
 * A temporary folder with a register inside (created with `urp init`, as a
 * user would: no other command creates one), removed by cleanup().
 * `{ init: false }` leaves only the path, for tests of creation itself.
 */
export function tempWorkspace({ init = true }: { init?: boolean } = {}): { dir: string; db: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'urp-test-'));
  if (ENGINE === 'postgres') {
    // A database of its own on the test cluster: a copy of the template's empty register, or (init: false) nothing at all.
    const server = testServer();
    const name = `urp_t${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
    psql(server, 'postgres', init ? `create database ${name} template ${server.template}` : `create database ${name}`);
    return {
      dir,
      db: clusterUrl(server, name),
      cleanup: () => {
        rmSync(dir, { recursive: true, force: true });
        psql(server, 'postgres', `drop database if exists ${name} with (force)`);
      },
    };
  }
  const db = join(dir, 'urp.db');
  if (init) {
    const result = spawnSync(process.execPath, [URP_BIN, '--db', db, 'init'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8' }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`urp init failed: ${result.stderr}`);
  }
  return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the built bin/urp as a subprocess, as a script would: stdin and stdout
 * are pipes (so no prompts, no colour, no tables), English messages unless told.
 */
export function runUrp(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [URP_BIN, ...args], {
      // A variable given as undefined is left out (not passed as the text "undefined").
      env: Object.fromEntries(
        Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', URP_OPERATOR: 'test-clerk', ...options.env }).filter(([, value]) => value !== undefined),
      ) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, ...withoutNotice(stderr) }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs urp against one database: `urp --db <db> ...args`. */
export function urpWith(db: string, defaults: RunOptions = {}) {
  return (args: readonly string[], options: RunOptions = {}) =>
    runUrp(['--db', db, ...args], { ...defaults, ...options, env: { ...defaults.env, ...options.env } });
}

/** `?` placeholders replaced by SQL literals (psql binds no parameters). */
function inline(sqlText: string, params: readonly unknown[]): string {
  let index = 0;
  let quoted = false;
  let out = '';
  for (const character of sqlText) {
    if (character === "'") quoted = !quoted;
    if (character === '?' && !quoted) {
      const value = params[index++];
      out += value === null || value === undefined ? 'null' : typeof value === 'number' ? String(value) : `'${String(value).replace(/'/g, "''")}'`;
    } else out += character;
  }
  return out;
}

/** The database name of a test cluster URL. */
function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function isServer(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** Reads the database directly, to check what a command wrote. */
export function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  if (isServer(db)) {
    const text = `select coalesce(json_agg(row_to_json(q)), '[]'::json) from (${inline(sql, params)}) q`;
    // A condition's value as SQLite gives it (urp stores no booleans: 0 and 1 in integer columns).
    return JSON.parse(psql(testServer(), databaseOf(db), text).trim() || '[]', (_key, value) => (typeof value === 'boolean' ? Number(value) : value)) as T[];
  }
  const connection = new Database(db, { readonly: true });
  try {
    return connection.prepare(sql).all(...params) as T[];
  } finally {
    connection.close();
  }
}

/** The register's own tables, by name (the engine's and kysely's left out). */
export function tableNames(db: string): string[] {
  if (isServer(db)) return query<{ name: string }>(db, `select tablename as name from pg_tables where schemaname = 'public' and tablename not like 'kysely%' order by tablename`).map((row) => row.name);
  // table_list tells them from the search index's virtual tables and their shadow tables (the index is no data of its own).
  return query<{ name: string }>(db, `select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name not like 'kysely%' order by name`).map((row) => row.name);
}

/** Copies a whole register over another (test workspaces): the files on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL. */
export function copyDatabase(from: string, to: string): void {
  if (isServer(from)) {
    const server = testServer();
    psql(server, 'postgres', `drop database if exists ${databaseOf(to)} with (force)`);
    psql(server, 'postgres', `create database ${databaseOf(to)} template ${databaseOf(from)}`);
    return;
  }
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
    else rmSync(to + suffix, { force: true });
  }
}

/** The e-mail message a report was registered from, as urp kept it (a file beside the database, a row on PostgreSQL). */
export function keptMessage(db: string, name: string): Buffer | undefined {
  if (isServer(db)) {
    const [row] = query<{ hex: string }>(db, `select encode(content, 'hex') as hex from inbound_message_files where name = ?`, name);
    return row ? Buffer.from(row.hex, 'hex') : undefined;
  }
  const path = join(`${db}.messages`, name);
  return existsSync(path) ? readFileSync(path) : undefined;
}

/** The names of the kept messages. */
export function keptMessageNames(db: string): string[] {
  if (isServer(db)) return query<{ name: string }>(db, 'select name from inbound_message_files order by name').map((row) => row.name);
  return existsSync(`${db}.messages`) ? readdirSync(`${db}.messages`).sort() : [];
}

/**
 * Every row of the register's own tables, in primary-key order, as plain
 * values: the same on both engines for the same register (a backup, a copy).
 */
export function contents(db: string): Record<string, unknown[]> {
  const engineOnly = new Set(['inbound_message_files']);
  return Object.fromEntries(
    tableNames(db)
      .filter((table) => !engineOnly.has(table))
      .map((table) => [table, query(db, `select * from "${table}" order by 1, 2`)]),
  );
}

/**
 * Runs SQL on the database directly, behind urp's back (a test damaging a
 * register as urp never would): better-sqlite3 on a file, psql on a server.
 */
export function execute(db: string, sqlText: string): void {
  if (isServer(db)) {
    psql(testServer(), databaseOf(db), sqlText);
    return;
  }
  const connection = new Database(db);
  try {
    connection.exec(sqlText);
  } finally {
    connection.close();
  }
}

/**
 * PostgreSQL: the bytes of every table's and index's files in the server's
 * data folder (the live database files), after a checkpoint has written
 * every page out. The write-ahead log (pg_wal) is left out: what it keeps,
 * and for how long, the README says.
 */
export function serverRelationFiles(db: string): Buffer {
  return Buffer.concat(serverRelations(db).map((relation) => relation.bytes));
}

/** The tables and indexes whose files hold `text` (case ignored): named, so that a failing test says where. */
export function relationsHolding(db: string, text: string): string[] {
  return serverRelations(db)
    .filter((relation) => relation.bytes.toString('latin1').toLowerCase().includes(text.toLowerCase()))
    .map((relation) => relation.name);
}

function serverRelations(db: string): Array<{ name: string; bytes: Buffer }> {
  const server = testServer();
  const database = databaseOf(db);
  psql(server, database, 'checkpoint');
  const rows = psql(server, database, `select c.relname || ' ' || pg_relation_filepath(c.oid) from pg_class c
    where c.relnamespace in ('public'::regnamespace, 'pg_toast'::regnamespace) and c.relkind in ('r', 'i', 't', 'm') and pg_relation_filepath(c.oid) is not null`)
    .trim()
    .split('\n')
    .filter(Boolean);
  const data = join(server.socketDir, 'data');
  return rows.map((row) => {
    const [name, path] = row.split(' ') as [string, string];
    const parts: Buffer[] = [];
    for (let segment = 0; ; segment++) {
      const file = join(data, segment === 0 ? path : `${path}.${segment}`);
      if (!existsSync(file)) break;
      parts.push(readFileSync(file));
    }
    return { name, bytes: Buffer.concat(parts) };
  });
}

/** A fingerprint of every table's content, to prove that a refused command changed nothing. */
export function snapshot(db: string): string {
  if (isServer(db)) {
    const server = testServer();
    const database = databaseOf(db);
    const tables = psql(server, database, `select tablename from pg_tables where schemaname = 'public' order by tablename`).trim().split('\n');
    const parts = tables.map((table) => `'${table}', (select coalesce(json_agg(t order by t::text), '[]'::json) from "${table}" t)`);
    return psql(server, database, `select json_build_object(${parts.join(', ')})`).trim();
  }
  const connection = new Database(db, { readonly: true });
  try {
    // Virtual tables (the search index) hold nothing of their own: their shadow tables are compared.
    const tables = connection
      .prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and rootpage <> 0 order by name`)
      .all() as Array<{ name: string; sql: string }>;
    const order = (sql: string) => (/without rowid\s*$/i.test(sql) ? '' : ' order by rowid');
    return JSON.stringify(tables.map(({ name, sql }) => [name, connection.prepare(`select * from "${name}"${order(sql)}`).all()]));
  } finally {
    connection.close();
  }
}

export const ANSI = /\u001b\[/;
export const BOX_DRAWING = /[\u2500-\u257f]/;

/** Two areas (ambiente, strade) and their categories (rifiuti, buche), created through the CLI. */
export async function addAreasAndCategories(urp: ReturnType<typeof urpWith>): Promise<void> {
  for (const [code, name] of [['ambiente', 'Ambiente'], ['strade', 'Strade e marciapiedi']] as const) {
    const result = await urp(['area', 'add', code, '--name', name]);
    if (result.code !== 0) throw new Error(`area add ${code}: ${result.stderr}`);
  }
  for (const [code, name, area] of [['rifiuti', 'Rifiuti', 'ambiente'], ['buche', 'Buche', 'strade']] as const) {
    const result = await urp(['category', 'add', code, '--name', name, '--area', area]);
    if (result.code !== 0) throw new Error(`category add ${code}: ${result.stderr}`);
  }
}
