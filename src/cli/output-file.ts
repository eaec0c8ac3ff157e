import { fstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  if (output === '-' || (output === undefined && defaultName === undefined) || (output !== undefined && isStandardOutput(output))) {
    if (target.stdout.isTTY) throw new InputError('output.terminal', { format }, 'output');
    target.stdout.write(bytes);
    return '-';
  }
  const path = output ?? defaultName!;
  checkOutputPath(path, 'output', { database: target.database });
  const written = existingTarget(path);
  try {
    if (written.kind === 'special') {
      // A device or a pipe (/dev/stdout, a FIFO a script reads): written into, never replaced by a file.
      writeFileSync(written.path, bytes);
      return path;
    }
    // A regular file (or none yet) is written whole or not at all: a new file beside it, renamed over it.
    // Through a symbolic link, the file it points to is replaced and the link stays.
    const aside = `${written.path}.${process.pid}.tmp`;
    try {
      writeFileSync(aside, bytes);
      renameSync(aside, written.path);
    } catch (error) {
      rmSync(aside, { force: true });
      throw error;
    }
  } catch {
    throw new InputError('output.cannotWrite', { path }, 'output');
  }
  return path;
}

/** What an output path names: nothing yet or a regular file (by its real path, links followed), or a device, pipe or folder. */
function existingTarget(path: string): { kind: 'file' | 'special'; path: string } {
  let regular: boolean;
  try {
    regular = statSync(path).isFile();
  } catch {
    return { kind: 'file', path };
  }
  // /dev/stdout on a pipe has no real path (its link names `pipe:[…]`): written through its own name.
  if (!regular) return { kind: 'special', path };
  try {
    return { kind: 'file', path: realpathSync(path) };
  } catch {
    return { kind: 'file', path };
  }
}

/**
 * Whether a path is this process's standard output (/dev/stdout, /dev/fd/1,
 * a link to either): written as `-` is, since a socket (how many programs
 * hand a child its output) cannot be opened again by name.
 */
function isStandardOutput(path: string): boolean {
  try {
    const named = statSync(path);
    const stdout = fstatSync(1);
    return !named.isFile() && named.dev === stdout.dev && named.ino === stdout.ino;
  } catch {
    return false;
  }
}
