import { Migrator, sql } from 'kysely';
import { refuseUnknownMigrations } from './known-migrations.js';
import { type Store, schemaVersion } from './store.js';
import { migrationProvider, migrations } from './migrations.js';
import { createPrivateFile } from './private-files.js';
import { StorageError } from './storage-error.js';

export interface MigrationState {
  readonly name: string;
  readonly appliedAt: string | null;
}

function migrator(store: Store): Migrator {
  // The whole run happens inside our own BEGIN IMMEDIATE (below), which also
  // keeps two processes opening a new database at once from racing.
  return new Migrator({ db: store.db, provider: migrationProvider, disableTransactions: true });
}

/**
 * Applies pending migrations in one immediate transaction: a second process
 * waits for the first, then finds nothing to do. Before touching a database
 * that already holds reports, a backup is written beside it.
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const { sqlite } = store;
  const target = Object.keys(migrations).length;
  if (target < schemaVersion(sqlite)) throw new StorageError('newerSchema', { version: schemaVersion(sqlite) });
  refuseUnknownMigrations(sqlite);
  if (schemaVersion(sqlite) > 0 && store.path !== ':memory:') await backupBeforeMigration(store);

  return store.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const { error, results } = await migrator({ ...store, db: connection }).migrateToLatest();
      if (error) throw error;
      const failed = results?.find((result) => result.status === 'Error');
      if (failed) throw new Error(`migration ${failed.migrationName} failed`);
      await sql.raw(`pragma user_version = ${target}`).execute(connection);
      await sql`commit`.execute(connection);
      return (results ?? []).map((result) => result.migrationName);
    } catch (error) {
      // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original error matters.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

async function backupBeforeMigration(store: Store): Promise<void> {
  const hasReports = store.sqlite
    .prepare(`select 1 from sqlite_master where type = 'table' and name = 'reports'`)
    .get();
  if (!hasReports || !store.sqlite.prepare('select 1 from reports limit 1').get()) return;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = `${store.path}.before-migration-v${schemaVersion(store.sqlite)}-${stamp}`;
  // Personal data: as private as the database.
  createPrivateFile(path, store.path);
  await store.sqlite.backup(path);
}

/** Every known migration and when it was applied (null: pending). */
export async function migrationStates(store: Store): Promise<MigrationState[]> {
  const applied = await migrator(store).getMigrations();
  return applied.map((migration) => ({
    name: migration.name,
    appliedAt: migration.executedAt ? migration.executedAt.toISOString() : null,
  }));
}
