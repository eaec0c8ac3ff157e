import { sql } from 'kysely';
import { type Store, schemaVersion } from './store.js';
import { type MigrationState, migrationStates } from './migrate.js';

/** What the storage itself can say about a register: engine, schema, journal, migrations, size. */
export interface StorageStatus {
  readonly engine: string;
  readonly schemaVersion: number;
  /** SQLite's journal mode; on PostgreSQL, the server's wal_level. */
  readonly journalMode: string;
  readonly readOnly: boolean;
  readonly migrations: MigrationState[];
  /** On PostgreSQL: the database's size on the server (a file's size is the caller's to read). */
  readonly sizeBytes?: number;
  /** On PostgreSQL: the database and the login, as the server names them. */
  readonly server?: { readonly database: string; readonly login: string };
}

export async function storageStatus(store: Store): Promise<StorageStatus> {
  if (store.engine === 'postgres') {
    const { rows } = await sql<{ wal: string; size: number }>`
      select current_setting('wal_level') as wal, pg_database_size(current_database()) as size`.execute(store.db);
    return {
      engine: store.serverVersion,
      schemaVersion: await schemaVersion(store),
      journalMode: `wal_level ${rows[0]?.wal ?? '?'}`,
      readOnly: store.readOnly,
      migrations: await migrationStates(store),
      sizeBytes: Number(rows[0]?.size ?? 0),
      server: { database: store.databaseName, login: store.login },
    };
  }
  const version = store.sqlite.prepare('select sqlite_version() as version').get() as { version: string };
  return {
    engine: `SQLite ${version.version}`,
    schemaVersion: await schemaVersion(store),
    journalMode: store.sqlite.pragma('journal_mode', { simple: true }) as string,
    readOnly: store.readOnly,
    migrations: await migrationStates(store),
  };
}
