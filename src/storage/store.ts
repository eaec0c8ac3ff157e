import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

export type { Engine };

/**
 * An open register: kysely for queries, and what storage itself needs of
 * the engine. SQLite, the embedded default, or a PostgreSQL server for a
 * register shared by several offices (issue 13).
 */
interface StoreBase {
  readonly db: Kysely<Database>;
  /**
   * Where the register is, as it may be shown: a file path, or a server's
   * URL with any password masked (never print anything else).
   */
  readonly path: string;
  /** Opened read-only: a read-only file, folder or medium (reading commands only), or a server in recovery. */
  readonly readOnly: boolean;
  close(): Promise<void>;
}

export interface SqliteStore extends StoreBase {
  readonly engine: 'sqlite';
  /** The underlying connection, for pragmas, backups and prepared bulk statements. */
  readonly sqlite: BetterSqlite3.Database;
}

export interface PostgresStore extends StoreBase {
  readonly engine: 'postgres';
  /** The login the server knows us as (`current_user`): on PostgreSQL, who is acting. */
  readonly login: string;
  /** `PostgreSQL 15.4`, for `db status`. */
  readonly serverVersion: string;
  /** The database's name on the server. */
  readonly databaseName: string;
}

export type Store = SqliteStore | PostgresStore;

/** How a register is opened (src/storage/database.ts openStore). */
export interface OpenOptions {
  /** Apply pending migrations (default). */
  readonly migrate?: boolean;
  /** Create the file when it does not exist (only `urp init`, and tests). */
  readonly create?: boolean;
  /** A reading command: fall back to a read-only connection when the file, folder or medium cannot be written. */
  readonly readOnlyFallback?: boolean;
  /**
   * Shared by the accounts of a group (`urp init --group`): the folder urp
   * creates is the group's (setgid, 2770), the database 0660; SQLite gives
   * its WAL and SHM the database's mode, and files created in a setgid
   * folder take its group.
   */
  readonly shareWithGroup?: number | undefined;
}

/** The SQLite connection of a store on SQLite (for its fast paths), else undefined. */
export function sqliteOf(store: Store): BetterSqlite3.Database | undefined {
  return store.engine === 'sqlite' ? store.sqlite : undefined;
}

/** The schema version recorded by the last migration in a SQLite file (0 for a new file). */
export function sqliteSchemaVersion(sqlite: BetterSqlite3.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

/** The schema version of a register on either engine (0: no urp schema yet). */
export async function schemaVersion(store: Store): Promise<number> {
  if (store.engine === 'sqlite') return sqliteSchemaVersion(store.sqlite);
  const { postgresSchemaVersion } = await import('./postgres-schema.js');
  return postgresSchemaVersion(store.db);
}
