import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { connect } from './database.js';
import type { Database } from './schema.js';
import { storageFault } from './storage-error.js';

/**
 * The database engine's own checks (SQLite: integrity_check, then
 * foreign_key_check), in storage's terms: damaged pages as SQLite words
 * them, and rows whose parent is missing, by table and row id.
 */
export async function integrityProblems(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return result.rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
}

export interface MissingParent {
  readonly table: string;
  readonly rowid: number;
  readonly parent: string;
}

export async function missingParents(db: Kysely<Database>): Promise<MissingParent[]> {
  const result = await sql<MissingParent>`pragma foreign_key_check`.execute(db);
  return result.rows;
}

/**
 * The integrity check of a file that cannot even be opened as a register
 * (damaged where urp reads first): a raw read-only connection, no schema
 * needed. Undefined when SQLite cannot read it at all.
 */
export function integrityOfFile(path: string): string[] | undefined {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = connect(path, { readonly: true, fileMustExist: true });
    const rows = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [message.split('\n')[0]!.slice(0, 200)];
  } finally {
    sqlite?.close();
  }
}

export interface EngineChecks {
  /** integrity_check's lines (empty: sound). */
  readonly integrity: string[];
  /** foreign_key_check's rows, when the file is sound. */
  readonly missingParents: MissingParent[];
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding });
  db.pragma('busy_timeout = 30000');
  db.pragma('cache_size = -2048');
  const integrity = db.pragma('integrity_check').map((row) => row.integrity_check).filter((line) => line !== 'ok');
  const missingParents = integrity.length > 0 ? [] : db.pragma('foreign_key_check').map(({ table, rowid, parent }) => ({ table, rowid, parent }));
  parentPort.postMessage({ integrity, missingParents });
} catch (error) {
  parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } });
} finally {
  if (db) db.close();
}`;

/**
 * SQLite's two checks of a register's file (integrity, then foreign keys),
 * on a connection of their own in a worker thread: they take as long as
 * reading every page, and the register's own checks run meanwhile on the
 * caller's connection. An in-memory database (or a machine that cannot
 * start the thread) is checked on the caller's connection, in turn.
 */
export async function engineChecks(db: Kysely<Database>, path: string): Promise<EngineChecks> {
  const inTurn = async () => {
    const integrity = await integrityProblems(db);
    return { integrity, missingParents: integrity.length > 0 ? [] : await missingParents(db) };
  };
  if (path === ':memory:') return inTurn();
  const require = createRequire(import.meta.url);
  let worker: Worker;
  try {
    worker = new Worker(WORKER, {
      eval: true,
      workerData: { module: require.resolve('better-sqlite3'), nativeBinding: require.resolve('better-sqlite3/build/Release/better_sqlite3.node'), path },
    });
  } catch {
    return inTurn();
  }
  const aside = new Promise<EngineChecks>((resolve, reject) => {
    worker.once('message', (result: EngineChecks & { error?: { message: string; code?: string } }) => {
      if (!result.error) return resolve(result);
      // SQLite's error, with its code, as if it had been raised here (storage-error.ts reads the code).
      reject(Object.assign(new Error(result.error.message), { code: result.error.code }));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the check of the file stopped (${code})`)));
  });
  // A damaged file is the answer; anything else (a second connection refused, say on a read-only medium) means checking in turn.
  return aside.catch((error: unknown) => (['damaged', 'notADatabase'].includes(storageFault(error) ?? '') ? Promise.reject(error) : inTurn()));
}
