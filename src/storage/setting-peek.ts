import { existsSync } from 'node:fs';
import { connect } from './database.js';

/**
 * One setting read straight from a register's file before anything else is
 * opened (the language, which the help needs before the command line is
 * parsed). Undefined when there is no such file, table or key, or the file
 * cannot be read at this moment: the caller then decides without it.
 */
export function peekSetting(path: string, key: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    const connection = connect(path, { readonly: true, fileMustExist: true, timeout: 200 });
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
