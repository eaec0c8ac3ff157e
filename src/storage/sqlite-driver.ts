/**
 * The SQLite driver, opened with its addon located directly: a module of
 * its own, which storage modules below database.ts may use without
 * importing it (and what it imports).
 */
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';

/**
 * The compiled SQLite addon, located directly: better-sqlite3 otherwise
 * searches a dozen paths (the `bindings` package) on every start.
 */
export const nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');

/** A raw connection (for backups, checks of other files): always with the addon located above. */
export function connect(path: string, options: BetterSqlite3.Options = {}): BetterSqlite3.Database {
  return new BetterSqlite3(path, { ...options, nativeBinding });
}
