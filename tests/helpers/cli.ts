import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const URP_BIN = resolve(import.meta.dirname, '../../bin/urp');

/** The year (in Rome) of reports registered now: their numbers are YEAR/nnnnnn. */
export const YEAR = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date()));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
}

/** A temporary folder with a database path inside, removed by cleanup(). */
export function tempWorkspace(): { dir: string; db: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'urp-test-'));
  return { dir, db: join(dir, 'urp.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs the built bin/urp as a subprocess, as a script would: stdin and stdout
 * are pipes (so no prompts, no colour, no tables), English messages unless told.
 */
export function runUrp(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [URP_BIN, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LANG: 'en_US.UTF-8',
        URP_OPERATOR: 'test-clerk',
        ...options.env,
      } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
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
    const tables = connection
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
      .pluck()
      .all() as string[];
    return JSON.stringify(tables.map((table) => [table, connection.prepare(`select * from "${table}" order by rowid`).all()]));
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
