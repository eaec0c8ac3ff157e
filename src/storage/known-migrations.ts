import type BetterSqlite3 from 'better-sqlite3';
import { migrationsFor } from './migrations.js';
import { StorageError } from './storage-error.js';

/**
 * A migration recorded in the file that this urp does not have: the file
 * was written by another or a newer urp, and its schema is not the one this
 * urp knows, even when the number of migrations is the same. Checked at
 * every opening (one small query), not only when migrations are pending.
 */
export function refuseUnknownMigrations(sqlite: BetterSqlite3.Database): void {
  const table = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
  if (!table) return;
  const names = sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  const unknown = names.find((name) => !(name in migrationsFor('sqlite')));
  if (unknown) throw new StorageError('unknownMigration', { name: unknown.replace(/[^\w.-]/g, '?').slice(0, 80) });
}
