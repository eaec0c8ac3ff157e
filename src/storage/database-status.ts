import type { Store } from './database.js';
import { schemaVersion } from './database.js';
import { type MigrationState, migrationStates } from './migrate.js';

/** What the storage itself can say about a register: engine, schema, journal, migrations. */
export interface StorageStatus {
  readonly engine: string;
  readonly schemaVersion: number;
  readonly journalMode: string;
  readonly readOnly: boolean;
  readonly migrations: MigrationState[];
}

export async function storageStatus(store: Store): Promise<StorageStatus> {
  const version = store.sqlite.prepare('select sqlite_version() as version').get() as { version: string };
  return {
    engine: `SQLite ${version.version}`,
    schemaVersion: schemaVersion(store.sqlite),
    journalMode: store.sqlite.pragma('journal_mode', { simple: true }) as string,
    readOnly: store.readOnly,
    migrations: await migrationStates(store),
  };
}
