import { renameSync, rmSync, writeFileSync } from 'node:fs';
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
  if (output === '-') {
    if (context.streams.stdout.isTTY) throw new InputError('output.terminal', { format }, 'output');
    context.streams.stdout.write(bytes);
    return '-';
  }
  const path = output ?? defaultName;
  checkOutputPath(path, 'output', { database: context.databasePath });
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
