import { chmodSync, chownSync, closeSync, openSync, statSync } from 'node:fs';

/**
 * Files that hold personal data (the database, its backups, exports,
 * rejected rows) are their owner's only, or, when the register is shared by
 * several accounts through a group (`urp init --group`), readable and
 * writable by that group too, never by others. The one place that decides.
 */
export interface Privacy {
  readonly mode: number;
  readonly gid?: number;
}

/** The privacy of files written beside a database: the database's own group sharing, else owner only. */
export function privacyLike(databasePath: string | undefined): Privacy {
  if (!databasePath || databasePath === ':memory:') return { mode: 0o600 };
  try {
    const stat = statSync(databasePath);
    return stat.mode & 0o060 ? { mode: 0o660, gid: stat.gid } : { mode: 0o600 };
  } catch {
    return { mode: 0o600 };
  }
}

/**
 * Creates `path` (empty, or truncates nothing: an existing file keeps its
 * contents) with the database's privacy, before a byte of personal data is
 * written into it: SQLite and createWriteStream keep the mode of a file that
 * exists, and would create a new one following the umask.
 */
export function createPrivateFile(path: string, databasePath?: string): void {
  const privacy = privacyLike(databasePath);
  try {
    closeSync(openSync(path, 'wx', privacy.mode));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  applyPrivacy(path, privacy);
}

/**
 * Only a regular file is made private: a folder given as an output, or a
 * device such as /dev/null, keeps its own mode (made 0600, a folder would
 * lock its owner out, and /dev/null every other account).
 */
export function applyPrivacy(path: string, privacy: Privacy): void {
  const stat = statSync(path);
  if (!stat.isFile()) return;
  if (privacy.gid !== undefined) chownSync(path, stat.uid, privacy.gid);
  chmodSync(path, privacy.mode);
}
