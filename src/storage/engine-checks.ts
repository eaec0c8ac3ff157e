import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { type Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { connect } from './database.js';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';
import { storageFault } from './storage-error.js';

/**
 * The database engine's own checks (SQLite: integrity_check, then
 * foreign_key_check), in storage's terms: damaged pages as SQLite words
 * them, and rows whose parent is missing, by table and row id.
 *
 * PostgreSQL (issue 13): the data checksum failures the server counted in
 * this database, and, where the amcheck extension is installed in it
 * (`create extension amcheck`, by a superuser), amcheck's verification of
 * every B-tree index of urp's tables against their table; foreign keys are
 * enforced by the server, and checked again here (a trigger disabled by
 * its owner, or a replica's session, can bypass them).
 */
export async function integrityProblems(db: Kysely<Database>): Promise<string[]> {
  if (engineOf(db) === 'postgres') return postgresIntegrityProblems(db);
  const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return result.rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
}

export interface MissingParent {
  readonly table: string;
  readonly rowid: number;
  readonly parent: string;
}

export async function missingParents(db: Kysely<Database>): Promise<MissingParent[]> {
  if (engineOf(db) === 'postgres') return postgresMissingParents(db);
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
  if (path === ':memory:' || engineOf(db) === 'postgres') return inTurn();
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

async function postgresIntegrityProblems(db: Kysely<Database>): Promise<string[]> {
  const problems: string[] = [];
  const checksums = await sql<{ failures: number | null }>`
    select checksum_failures as failures from pg_stat_database where datname = current_database()`.execute(db);
  const failures = Number(checksums.rows[0]?.failures ?? 0);
  if (failures > 0) problems.push(`the server counted ${failures} data checksum failures in this database`);
  const amcheck = await sql<{ present: boolean }>`select exists (select 1 from pg_extension where extname = 'amcheck') as present`.execute(db);
  if (!amcheck.rows[0]?.present) return problems;
  const indexes = await sql<{ name: string; oid: number }>`
    select i.indexrelid::regclass::text as name, i.indexrelid::int8 as oid
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
    where a.amname = 'btree' and c.relnamespace = current_schema()::regnamespace and c.relpersistence = 'p'
    order by 1`.execute(db);
  for (const index of indexes.rows) {
    try {
      // heapallindexed: every row of the table is in the index.
      await sql`select bt_index_check(${sql.lit(index.oid)}::oid::regclass, true)`.execute(db);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
      problems.push(`index ${index.name}: ${message}`);
    }
  }
  return problems;
}

/** Every single-column foreign key of urp's tables, and the rows whose parent is missing. */
async function postgresMissingParents(db: Kysely<Database>): Promise<MissingParent[]> {
  const keys = await sql<{ child: string; column: string; parent: string; parent_column: string; has_id: boolean }>`
    select c.conrelid::regclass::text as child, a.attname as column, c.confrelid::regclass::text as parent, pa.attname as parent_column,
      exists (select 1 from pg_attribute i where i.attrelid = c.conrelid and i.attname = 'id' and not i.attisdropped) as has_id
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
    where c.contype = 'f' and cardinality(c.conkey) = 1 and c.connamespace = current_schema()::regnamespace
    order by 1, 2`.execute(db);
  const missing: MissingParent[] = [];
  for (const key of keys.rows) {
    const rows = await sql<{ rowid: number }>`
      select ${key.has_id ? sql.ref('child.id') : sql.lit(0)} as rowid from ${sql.table(key.child)} child
      where child.${sql.ref(key.column)} is not null
        and not exists (select 1 from ${sql.table(key.parent)} p where p.${sql.ref(key.parent_column)} = child.${sql.ref(key.column)})`.execute(db);
    for (const row of rows.rows) missing.push({ table: key.child, rowid: Number(row.rowid), parent: key.parent });
  }
  return missing;
}
