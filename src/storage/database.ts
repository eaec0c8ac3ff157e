import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { FOLD_FUNCTION, foldForSearch } from './like.js';
import type { Database } from './schema.js';
import { LATEST_SCHEMA_VERSION } from './schema-version.js';

export interface Store {
  readonly db: Kysely<Database>;
  /** The underlying connection, for pragmas, backups and prepared bulk statements. */
  readonly sqlite: BetterSqlite3.Database;
  readonly path: string;
  close(): Promise<void>;
}

/** --db, else URP_DB, else $XDG_DATA_HOME/urp/urp.db (SPEC section 5). */
export function resolveDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.URP_DB) return resolve(env.URP_DB);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'urp', 'urp.db');
}

/**
 * The compiled SQLite addon, located directly: better-sqlite3 otherwise
 * searches a dozen paths (the `bindings` package) on every start.
 */
const nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');

/** A raw connection (for backups, checks of other files): always with the addon located above. */
export function connect(path: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  return new BetterSqlite3(path, { ...options, nativeBinding });
}

/** How long a writer waits for another process's write transaction before giving up. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * Opens (creating and migrating on first use) the database. The file holds
 * personal data: it is created readable by its owner only, in a folder only
 * its owner can enter when urp creates it.
 */
export async function openStore(path: string, { migrate = true }: { migrate?: boolean } = {}): Promise<Store> {
  if (path !== ':memory:' && !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Create the file ourselves so its mode does not depend on the umask.
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const sqlite = connect(path);
  sqlite.function(FOLD_FUNCTION, { deterministic: true }, foldForSearch);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  // FULL: a committed report survives a power cut, not only a crash of the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // 64 MB of page cache (the default is 2 MB): an import or a year of
  // statistics touches more index pages than that, and re-reading evicted
  // pages dominates. Memory is taken only as pages are actually read.
  sqlite.pragma('cache_size = -65536');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const store: Store = { db, sqlite, path, close: () => db.destroy() };
  if (migrate && schemaVersion(sqlite) !== LATEST_SCHEMA_VERSION) {
    try {
      const { migrateToLatest } = await import('./migrate.js');
      await migrateToLatest(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** The schema version recorded by the last migration (0 for a new file). */
export function schemaVersion(sqlite: BetterSqlite3.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}
