import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../domain/errors.js';

/** The path as the file system sees it: symbolic links followed where the file exists. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Refuses an output file (`--output`, `--rejects`) that is the database, one
 * of its journal files, or a file the command reads: opening it for writing
 * would empty it before anything is written.
 */
export function checkOutputPath(path: string, field: string, { database, inputs = [] }: { database: string; inputs?: readonly string[] }): void {
  const target = canonical(path);
  const databaseFile = canonical(database);
  if ([databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, `${databaseFile}-journal`].includes(target)) {
    throw new InputError('output.isDatabase', { path }, field);
  }
  if (inputs.some((input) => canonical(input) === target)) throw new InputError('output.isInput', { path }, field);
}
