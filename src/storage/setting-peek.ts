import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';

/**
 * One setting read straight from a register's file before anything else is
 * opened (the language, which the help needs before the command line is
 * parsed). Undefined when there is no such file, table or key, or the file
 * cannot be read at this moment: the caller then decides without it. Only
 * the SQLite driver is loaded, and only when the file exists.
 */
export function peekSetting(path: string, key: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    const nativeBinding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const connection = new BetterSqlite3(path, { readonly: true, fileMustExist: true, timeout: 200, nativeBinding });
    try {
      const row = connection.prepare('select value from settings where key = ?').get(key) as { value: string } | undefined;
      return row === undefined ? undefined : JSON.parse(row.value);
    } finally {
      connection.close();
    }
  } catch {
    return undefined;
  }
}
