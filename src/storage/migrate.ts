import { Migrator, sql } from 'kysely';
import { type SqliteStore, type Store, schemaVersion, sqliteSchemaVersion } from './store.js';
import { migrationProviderFor, migrationsFor } from './migrations.js';
import { createPrivateFile } from './private-files.js';
import { StorageError } from './storage-error.js';
import { commitOrRollBack } from './transactions.js';

export interface MigrationState {
  readonly name: string;
  readonly appliedAt: string | null;
}

function migrator(store: Store): Migrator {
  // The whole run happens inside our own transaction (below), which also
  // keeps two processes opening a new register at once from racing.
  // Unordered: a register made while two migrations were being written (005 landed after 006 and 007) takes the one it lacks.
  return new Migrator({ db: store.db, provider: migrationProviderFor(store.engine), disableTransactions: true, allowUnorderedMigrations: true });
}

/**
 * Applies pending migrations in one write transaction: a second process
 * waits for the first, then finds nothing to do. Before touching a SQLite
 * database that already holds reports, a backup is written beside it (a
 * server's backups are the office's: `urp db backup`, or its own pg_dump).
 */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const target = Object.keys(migrationsFor(store.engine)).length;
  const version = await schemaVersion(store);
  if (target < version) throw new StorageError('newerSchema', { version });
  await refuseUnknownMigrations(store);
  if (store.engine === 'sqlite' && version > 0 && store.path !== ':memory:') await backupBeforeMigration(store);

  const postgres = store.engine === 'postgres' ? await import('./postgres-roles.js') : undefined;
  const applied = await store.db.connection().execute(async (connection) => {
    await (postgres ? postgres.beginMigration(connection) : sql`begin immediate`.execute(connection));
    return commitOrRollBack(connection, async () => {
      const { error, results } = await migrator({ ...store, db: connection }).migrateToLatest();
      if (error) throw error;
      const failed = results?.find((result) => result.status === 'Error');
      if (failed) throw new Error(`migration ${failed.migrationName} failed`);
      if (!postgres) await sql.raw(`pragma user_version = ${target}`).execute(connection);
      return (results ?? []).map((result) => result.migrationName);
    });
  });
  // New tables get the privileges of the logins' roles, when `urp db grant` has made any.
  if (postgres && applied.length > 0 && store.engine === 'postgres') await postgres.refreshGrants(store);
  return applied;
}

/** A migration recorded in the register that this urp does not have: written by another or a newer urp. */
async function refuseUnknownMigrations(store: Store): Promise<void> {
  const known = migrationsFor(store.engine);
  let names: string[];
  if (store.engine === 'sqlite') {
    const table = store.sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
    if (!table) return;
    names = store.sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  } else {
    const { rows } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(store.db);
    if (!rows[0]?.present) return;
    names = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db)).rows.map((row) => row.name);
  }
  const unknown = names.find((name) => !(name in known));
  if (unknown) throw new StorageError('unknownMigration', { name: unknown.replace(/[^\w.-]/g, '?').slice(0, 80) });
}

async function backupBeforeMigration(store: SqliteStore): Promise<void> {
  const hasReports = store.sqlite
    .prepare(`select 1 from sqlite_master where type = 'table' and name = 'reports'`)
    .get();
  if (!hasReports || !store.sqlite.prepare('select 1 from reports limit 1').get()) return;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = `${store.path}.before-migration-v${sqliteSchemaVersion(store.sqlite)}-${stamp}`;
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
