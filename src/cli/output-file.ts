import { type Stats, fstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  const toStandardOutput = () => {
    if (target.stdout.isTTY) throw new InputError('output.terminal', { format }, 'output');
    target.stdout.write(bytes);
    return '-';
  };
  if (output === '-' || (output === undefined && defaultName === undefined)) return toStandardOutput();
  const path = output ?? defaultName!;
  const written = outputTarget(path);
  if (written.kind === 'stdout') return toStandardOutput();
  checkOutputPath(path, 'output', { database: target.database });
  // A regular file (or none yet) is written whole or not at all: a new file beside it, renamed over it
  // (through a symbolic link, the file it points to, so that the link stays). A device or a pipe
  // (a FIFO a script reads) is written into, never replaced by a file.
  const aside = written.kind === 'file' ? `${written.path}.${process.pid}.tmp` : undefined;
  try {
    if (aside === undefined) writeFileSync(written.path, bytes);
    else {
      writeFileSync(aside, bytes);
      renameSync(aside, written.path);
    }
  } catch {
    if (aside !== undefined) rmSync(aside, { force: true });
    throw new InputError('output.cannotWrite', { path }, 'output');
  }
  return path;
}

/**
 * What an output path names: nothing yet or a regular file (by its real
 * path, links followed); this process's standard output (/dev/stdout,
 * /dev/fd/1, a link to either: written as `-` is, since a socket, how many
 * programs hand a child its output, cannot be opened again by name); or
 * another device, pipe or folder, written through its own name (/dev/stdout
 * on a pipe has no real path: its link names `pipe:[…]`).
 */
export function outputTarget(path: string): { kind: 'file' | 'stdout' | 'special'; path: string } {
  let named: Stats;
  try {
    named = statSync(path);
  } catch {
    return { kind: 'file', path };
  }
  if (!named.isFile()) {
    try {
      const stdout = fstatSync(1);
      if (named.dev === stdout.dev && named.ino === stdout.ino) return { kind: 'stdout', path };
    } catch {
      // No standard output to compare with: the path is what it names.
    }
    return { kind: 'special', path };
  }
  try {
    return { kind: 'file', path: realpathSync(path) };
  } catch {
    return { kind: 'file', path };
  }
}
