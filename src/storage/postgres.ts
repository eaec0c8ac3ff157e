import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { BUSY_TIMEOUT_MS, maskLocation } from './location.js';
import { postgresSchemaVersion } from './postgres-schema.js';
import type { Database } from './schema.js';
import type { OpenOptions, PostgresStore } from './store.js';
import { LATEST_SCHEMA_VERSION } from './schema-version.js';
import { StorageError, storageFault } from './storage-error.js';

/**
 * A register on a PostgreSQL server (issue 13), through kysely's
 * PostgresDialect and node-postgres. The URL names server, login and
 * database; what it leaves out comes from the PG* environment variables and
 * the password from ~/.pgpass (node-postgres reads both), so that no
 * password needs to be on a command line. urp never shows the URL with its
 * password (maskLocation).
 *
 * A small pool per process, its connections opened as they are needed: a
 * command's independent reads (the passes of the statistics) run side by
 * side; a transaction runs on one connection of its own (writeTransaction),
 * and so does the importer, whose temporary tables live on it.
 */

/** Values as SQLite hands them back: bigint (count, sum) and numeric as JavaScript numbers. */
const NUMERIC_TYPES = new Set([20, 1700]);
const typesOf = (driver: typeof pg) =>
  ({
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (NUMERIC_TYPES.has(oid)) return (value: string) => Number(value);
      return driver.types.getTypeParser(oid, format);
    },
  }) as pg.CustomTypesConfig;

/**
 * node-postgres and its cursor, loaded when a server is named. node-postgres
 * asks whether it runs in Cloudflare Workers by looking at `navigator`, and
 * where there is none (Node 20) by building a fetch `Response`, which loads
 * Node's whole fetch implementation: about 35 ms of every command's start-up.
 * A `navigator` that is no worker's answers it first; it is there only while
 * the driver loads (Node 21 and later have their own, left alone).
 */
function loadDriver(): { pg: typeof pg; Cursor: unknown } {
  const shim = !('navigator' in globalThis);
  if (shim) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true, writable: true });
  try {
    // Required, not imported: the bundle runs as a script (bin/urp), where import() of a package is not available.
    const require = createRequire(import.meta.url);
    return { pg: require('pg') as typeof pg, Cursor: require('pg-cursor') as unknown };
  } finally {
    if (shim) delete (globalThis as { navigator?: unknown }).navigator;
  }
}


export async function openPostgresStore(url: string, { migrate = true, create = false }: OpenOptions): Promise<PostgresStore> {
  const shown = maskLocation(url);
  const { pg, Cursor } = loadDriver();
  const types = typesOf(pg);
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    types,
    application_name: 'urp',
    // A writer waits for another's transaction as long as SQLite's busy timeout, then gives up (exit 1, "busy").
    options: `-c lock_timeout=${BUSY_TIMEOUT_MS} -c idle_in_transaction_session_timeout=${10 * BUSY_TIMEOUT_MS}`,
    connectionTimeoutMillis: BUSY_TIMEOUT_MS,
  });
  // An idle connection the server closed (a restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor as never }) });
  const close = () => db.destroy();
  let about: { login: string; database: string; version: string; recovery: boolean };
  try {
    const { rows } = await sql<{ login: string; database: string; version: string; recovery: boolean }>`
      select current_user as login, current_database() as database,
        current_setting('server_version') as version, pg_is_in_recovery() as recovery`.execute(db);
    about = rows[0]!;
  } catch (error) {
    await close().catch(() => undefined);
    throw connectionError(error, shown);
  }
  const store: PostgresStore = {
    engine: 'postgres',
    db,
    path: shown,
    readOnly: about.recovery,
    login: about.login,
    serverVersion: `PostgreSQL ${about.version.split(' ')[0]}`,
    databaseName: about.database,
    close,
  };
  try {
    const version = await postgresSchemaVersion(db);
    if (version === 0 && !create) throw new StorageError('missing', { path: shown });
    if (migrate && version !== LATEST_SCHEMA_VERSION) {
      if (store.readOnly) throw new StorageError('migrationReadOnly', { path: shown });
      const { migrateToLatest } = await import('./migrate.js');
      await migrateToLatest(store);
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw asPostgresStorageError(error, shown);
  }
  return store;
}

/** A failure to reach the server or to log in, as a StorageError naming the (masked) location. */
function connectionError(error: unknown, shown: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ENOENT|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET)$/.test(code)) {
    return new StorageError('serverUnreachable', { path: shown }, { cause: error });
  }
  if (error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message)) {
    return new StorageError('serverUnreachable', { path: shown }, { cause: error });
  }
  // node-postgres asks for a password it was not given: the login needs one (~/.pgpass, PGPASSWORD).
  if (error instanceof Error && /password must be a string|client password must be a string/i.test(error.message)) {
    return new StorageError('loginRefused', { path: shown }, { cause: error });
  }
  return asPostgresStorageError(error, shown);
}

/** An error of the server as a StorageError naming the location, when it is one of the known faults. */
export function asPostgresStorageError(error: unknown, shown: string): unknown {
  if (error instanceof StorageError) return error.details.path === undefined ? new StorageError(error.fault, { ...error.details, path: shown }, { cause: error }) : error;
  const fault = storageFault(error);
  return fault ? new StorageError(fault, { path: shown }, { cause: error }) : error;
}

/**
 * One setting of a server register, read before the command line is parsed
 * (the register's language: help and commander's errors are written during
 * the parse). Nothing when the server cannot answer at once, or the register
 * has no such setting: the command itself then reports what is wrong.
 */
export async function peekPostgresSetting(url: string, key: string): Promise<unknown> {
  const { pg } = loadDriver();
  const client = new pg.Client({ connectionString: url, application_name: 'urp', connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ value: string }>('select value from settings where key = $1', [key]);
    return rows[0] === undefined ? undefined : JSON.parse(rows[0].value);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
