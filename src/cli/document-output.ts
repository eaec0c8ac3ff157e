import type { CliContext } from './context.js';
import { writeOutputBytes } from './output-file.js';

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
