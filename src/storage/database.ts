import { accessSync, chmodSync, chownSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { refuseUnknownMigrations } from './known-migrations.js';
import { LATEST_SCHEMA_VERSION } from './schema-version.js';
import { StorageError, storageFault } from './storage-error.js';
import { type OpenOptions, type SqliteStore, type Store, sqliteSchemaVersion } from './store.js';
import { registerSearchFunctions } from './text-search.js';

export type { Engine, OpenOptions, PostgresStore, SqliteStore, Store } from './store.js';
export { schemaVersion, sqliteOf, sqliteSchemaVersion } from './store.js';
export { BUSY_TIMEOUT_MS, isServerLocation, maskLocation } from './location.js';
import { BUSY_TIMEOUT_MS, isServerLocation } from './location.js';

export { resolveDatabasePath } from './database-path.js';
export { connect } from './sqlite-driver.js';
import { connect, nativeBinding } from './sqlite-driver.js';

/**
 * The SQL functions urp's queries and triggers call, registered on every
 * connection (a raw one too, such as the benchmark's generator): a trigger
 * that keeps the search index in step needs them to write at all.
 */
export function registerFunctions(sqlite: BetterSqlite3.Database): void {
  registerSearchFunctions(sqlite);
}

const connections = new WeakMap<Kysely<Database>, BetterSqlite3.Database>();

/** The SQLite connection under a store's Kysely instance (undefined for a transaction's or another engine's). */
export function sqliteConnection(db: Kysely<Database>): BetterSqlite3.Database | undefined {
  return connections.get(db);
}

/**
 * Opens the database; creates it only when told (a mistyped --db must not
 * start a second register with the same numbers). The file holds personal
 * data: it is created readable by its owner only, in a folder only its owner
 * can enter when urp creates it.
 */
export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  if (isServerLocation(path)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(path, options);
  }
  return openSqliteStore(path, options);
}

async function openSqliteStore(path: string, { migrate = true, create = false, readOnlyFallback = false, shareWithGroup }: OpenOptions): Promise<SqliteStore> {
  const memory = path === ':memory:';
  if (!memory && !fileExists(path)) {
    if (!create) throw new StorageError('missing', { path });
    const folder = dirname(path);
    const created = !existsSync(folder);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (created && shareWithGroup !== undefined) {
      chownSync(folder, statSync(folder).uid, shareWithGroup);
      chmodSync(folder, 0o2770);
    }
    // Create the file ourselves so its mode does not depend on the umask.
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // Shared with a group: the database and what SQLite keeps beside it (created later with its mode).
  if (!memory && shareWithGroup !== undefined) {
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) continue;
      chownSync(file, statSync(file).uid, shareWithGroup);
      chmodSync(file, 0o660);
    }
  }
  if (!memory && statSync(path).isDirectory()) throw new StorageError('cannotOpen', { path });

  let sqlite: BetterSqlite3.Database;
  let readOnly = false;
  try {
    sqlite = configure(connect(path), memory);
  } catch (error) {
    let fault = storageFault(error);
    // SQLite says "cannot open" when it cannot make the -shm beside the file: on read-only media, that is what it is.
    const failure = fault === 'cannotOpen' && onReadOnlyMedia(path) ? new StorageError((fault = 'readOnly'), { path }, { cause: error }) : error;
    if (!readOnlyFallback || (fault !== 'readOnly' && fault !== 'cannotOpen' && fault !== 'diskFull')) throw asStorageError(failure, path);
    sqlite = openReadOnly(path, failure);
    readOnly = true;
  }

  cacheInsertStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const store: SqliteStore = { engine: 'sqlite', db, sqlite, path, readOnly, close: () => db.destroy() };
  connections.set(db, sqlite);
  try {
    if (migrate) refuseUnknownMigrations(sqlite);
    if (migrate && sqliteSchemaVersion(sqlite) !== LATEST_SCHEMA_VERSION) {
      if (readOnly) throw new StorageError('migrationReadOnly', { path });
      const { migrateToLatest } = await import('./migrate.js');
      await migrateToLatest(store);
    }
  } catch (error) {
    await store.close();
    throw asStorageError(error, path);
  }
  return store;
}

/**
 * Whether the file is there. A folder this account may not enter (a register
 * shared with a group it is not in) is no missing database: that is "cannot
 * open", not "create it with urp init".
 */
function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw new StorageError('cannotOpen', { path }, { cause: error });
  }
}

/** Pragmas of a read-write connection; the first read happens here, so a file that cannot be used fails now. */
function configure(sqlite: BetterSqlite3.Database, memory: boolean): BetterSqlite3.Database {
  try {
    registerFunctions(sqlite);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!memory) sqlite.pragma('journal_mode = WAL');
    // FULL: a committed report survives a power cut, not only a crash of the process.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed in the file, not left in free space (GDPR erasure).
    sqlite.pragma('secure_delete = ON');
    // 64 MB of page cache (the default is 2 MB): an import or a year of
    // statistics touches more index pages than that, and re-reading evicted
    // pages dominates. Memory is taken only as pages are actually read.
    sqlite.pragma('cache_size = -65536');
    // A file SQLite cannot parse fails here, not at the first query of the command.
    sqlite.prepare('select count(*) from sqlite_master').get();
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * kysely prepares every statement it runs; a batched insert of hundreds of
 * rows (bulk.ts) costs milliseconds to prepare, again for every batch. The
 * statements of INSERTs are kept and reused (they are run, never iterated,
 * so one is never busy when it is asked for again).
 */
function cacheInsertStatements(sqlite: BetterSqlite3.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  sqlite.prepare = ((source: string) => {
    if (!source.startsWith('insert into')) return prepare(source);
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= 64) cache.delete(cache.keys().next().value!);
      cache.set(source, (statement = prepare(source)));
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * A read-only connection for a file, folder or medium that cannot be
 * written. A WAL database whose -shm cannot be created (read-only media, a
 * full disk) cannot be read in place by SQLite without the `immutable` URI
 * parameter, which better-sqlite3 cannot pass (it is built without URIs):
 * with its log empty the file alone is the whole register, so it is read
 * into memory instead. `failure` is what opening it for writing said, given
 * back when neither works.
 */
function openReadOnly(path: string, failure: unknown): BetterSqlite3.Database {
  try {
    return readingConnection(connect(path, { readonly: true, fileMustExist: true }));
  } catch (error) {
    const copy = inMemoryCopy(path);
    if (!copy) throw asStorageError(storageFault(failure) ? failure : error, path);
    return copy;
  }
}

/** The register read into memory, marked there as the rollback-journal database it is once its log is empty; undefined when it cannot be. */
function inMemoryCopy(path: string): BetterSqlite3.Database | undefined {
  try {
    if (statSync(`${path}-wal`).size > 0) return undefined;
  } catch {
    // No log beside it: the file is all there is.
  }
  try {
    const bytes = readFileSync(path);
    if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
    // The file format bytes (18, 19): 2 is WAL, 1 the rollback journal a copy in memory uses.
    bytes[18] = 1;
    bytes[19] = 1;
    return readingConnection(new BetterSqlite3(bytes, { readonly: true, nativeBinding }));
  } catch {
    return undefined;
  }
}

function readingConnection(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  try {
    registerFunctions(sqlite);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('cache_size = -65536');
    sqlite.prepare('select count(*) from sqlite_master').get();
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

function onReadOnlyMedia(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EROFS';
  }
}

/** An error of SQLite or the file system as a StorageError naming the file, when it is one of the known faults. */
export function asStorageError(error: unknown, path: string): unknown {
  if (error instanceof StorageError) return error.details.path === undefined ? new StorageError(error.fault, { ...error.details, path }, { cause: error }) : error;
  const fault = storageFault(error);
  return fault ? new StorageError(fault, { path }, { cause: error }) : error;
}

