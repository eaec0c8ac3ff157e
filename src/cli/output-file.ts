import { InputError } from '../domain/errors.js';
import { databaseFiles, sameFile } from '../storage/file-identity.js';

/**
 * Refuses an output file (`--output`, `--rejects`) that is the database, one
 * of its journal files, or a file the command reads, by any name (links
 * included): opening it for writing would empty it before anything is written.
 */
export function checkOutputPath(path: string, field: string, { database, inputs = [] }: { database: string; inputs?: readonly string[] }): void {
  if (databaseFiles(database).some((file) => sameFile(file, path))) throw new InputError('output.isDatabase', { path }, field);
  if (inputs.some((input) => sameFile(input, path))) throw new InputError('output.isInput', { path }, field);
}
