import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { InputError } from '../domain/errors.js';
import type { CliContext } from './context.js';
import { checkOutputPath } from './output-file.js';

/**
 * Writes a document (a PDF, an HTML page) to --output, to a default file in
 * the current folder, or with `--output -` to standard output, which must
 * not be a terminal (a PDF there is noise, and may drive the terminal).
 * A file is written whole or not at all (written aside, then renamed), and
 * never over the database. Returns where it went.
 */
export function writeDocument(context: CliContext, bytes: Buffer | string, output: string | undefined, defaultName: string, format: string): string {
  return writeOutputBytes({ stdout: context.streams.stdout, database: context.databasePath }, bytes, output, defaultName, format);
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
