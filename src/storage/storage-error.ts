/**
 * Faults of the storage and its environment, in storage's own terms (the
 * command line maps each kind to words and an exit code): nothing here
 * knows about reports or people.
 *
 * - `missing`, `notADatabase`, `cannotOpen`: the path the user gave is wrong (exit 2);
 * - `diskFull`, `readOnly`, `damaged`, `io`, `busy`, `guardsMissing`,
 *   `unknownMigration`, `newerSchema`, `migrationReadOnly`: the environment, not the
 *   user's input nor a bug (exit 1).
 */
export type StorageFault =
  | 'missing'
  | 'notADatabase'
  | 'cannotOpen'
  | 'diskFull'
  | 'readOnly'
  | 'damaged'
  | 'io'
  | 'busy'
  | 'guardsMissing'
  | 'unknownMigration'
  | 'newerSchema'
  | 'migrationReadOnly'
  /** A read that must be recorded (personal data in bulk) on a register that cannot be written. */
  | 'readOnlyAudit'
  // Backups and restores: a path the user gave that cannot be used (exit 2), or a backup that failed (exit 1).
  | 'backupSamePath'
  | 'backupNotOverwritten'
  | 'backupCannotWrite'
  | 'backupMissing'
  | 'backupNotUrp'
  | 'backupSchemaDiffers'
  | 'backupFailed';

export class StorageError extends Error {
  constructor(
    readonly fault: StorageFault,
    readonly details: Readonly<Record<string, string | number>> = {},
    options?: { cause?: unknown },
  ) {
    super(`storage: ${fault}`, options);
    this.name = 'StorageError';
  }
}

/**
 * What an error from SQLite or the file system means, if it is one of the
 * faults above (undefined otherwise: then it is unexpected). SQLite's
 * extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE...) fold into
 * their primary code.
 */
export function storageFault(error: unknown): StorageFault | undefined {
  if (error instanceof StorageError) return error.fault;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  // SHMSIZE: the -shm beside the database could not be given its size, which on a file system is a full disk.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_IOERR_WRITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE') return 'diskFull';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'readOnly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return code === 'SQLITE_NOTADB' ? 'notADatabase' : 'damaged';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EISDIR') return 'cannotOpen';
  return undefined;
}
