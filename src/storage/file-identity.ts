import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * What a path names on this machine: the device and inode of an existing
 * file (so that a hard link, a symbolic link or another spelling of the path
 * is the same file), else the real folder and the name.
 */
function identity(path: string): string {
  try {
    const stat = statSync(path);
    return `inode ${stat.dev}:${stat.ino}`;
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Whether two paths name the same file (or would, once it exists). */
export function sameFile(one: string, other: string): boolean {
  return identity(one) === identity(other);
}

/** The database file and the journal files SQLite keeps beside it. */
export function databaseFiles(database: string): string[] {
  return [database, `${database}-wal`, `${database}-shm`, `${database}-journal`];
}
