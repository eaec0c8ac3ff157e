import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
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

/**
 * The same for any binary file (a spreadsheet): without a default name,
 * no --output means standard output, which must not be a terminal either.
 */
export function writeOutputBytes(
  target: { stdout: Writable & { isTTY?: boolean }; database: string },
  bytes: Buffer | string,
  output: string | undefined,
  defaultName: string | undefined,
  format: string,
): string {
  if (output === '-' || (output === undefined && defaultName === undefined)) {
    if (target.stdout.isTTY) throw new InputError('output.terminal', { format }, 'output');
    target.stdout.write(bytes);
    return '-';
  }
  const path = output ?? defaultName!;
  checkOutputPath(path, 'output', { database: target.database });
  const aside = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(aside, bytes);
    renameSync(aside, path);
  } catch {
    rmSync(aside, { force: true });
    throw new InputError('output.cannotWrite', { path }, 'output');
  }
  return path;
}
