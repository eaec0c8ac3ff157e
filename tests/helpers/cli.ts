import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const URP_BIN = resolve(import.meta.dirname, '../../bin/urp');

/** The operating-system account running the tests: who urp sees acting. */
export const ME = userInfo().username;

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

/** Reads the database directly, to check what a command wrote. */
export function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  const connection = new Database(db, { readonly: true });
  try {
    return connection.prepare(sql).all(...params) as T[];
  } finally {
    connection.close();
  }
}

/** A fingerprint of every table's content, to prove that a refused command changed nothing. */
export function snapshot(db: string): string {
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
