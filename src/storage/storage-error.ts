/**
 * Faults of the storage and its environment, in storage's own terms (the
 * command line maps each kind to words and an exit code): nothing here
 * knows about reports or people.
 *
 * - `missing`, `notADatabase`, `cannotOpen`: the path the user gave is wrong (exit 2);
 * - `diskFull`, `readOnly`, `damaged`, `io`, `busy`, `guardsMissing`,
 *   `unknownMigration`, `newerSchema`, `migrationReadOnly`: the environment, not the
 *   user's input nor a bug (exit 1).
 * - PostgreSQL (issue 13): `serverUnreachable` (exit 1); `loginRefused`,
 *   `serverDatabaseMissing`, `permissionDenied` (exit 2: the login or the
 *   URL the user gave, or a login an admin has not granted what it asks).
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
  | 'backupTargetInUse'
  | 'backupCannotWrite'
  | 'backupMissing'
  | 'backupNotUrp'
  | 'backupSchemaDiffers'
  /** A backup written by a newer urp: no migration of this one can read it. */
  | 'backupNewerSchema'
  | 'backupFailed'
  // PostgreSQL (issue 13).
  | 'serverUnreachable'
  | 'loginRefused'
  | 'serverDatabaseMissing'
  | 'permissionDenied'
  // db copy: the target already holds a register, or is the source itself.
  | 'copyTargetNotEmpty'
  | 'copySameRegister';

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
  if (/^[0-9A-Z]{5}$/.test(code)) return postgresFault(code);
  // SHMSIZE: the -shm beside the database could not be given its size, which on a file system is a full disk.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_IOERR_WRITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE') return 'diskFull';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'readOnly';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return code === 'SQLITE_NOTADB' ? 'notADatabase' : 'damaged';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EISDIR') return 'cannotOpen';
  return undefined;
}

/** PostgreSQL's SQLSTATE for a lock not granted within lock_timeout. */
export const LOCK_NOT_AVAILABLE = '55P03';

/** PostgreSQL's SQLSTATE codes (appendix A of its manual) that are one of the faults above. */
function postgresFault(code: string): StorageFault | undefined {
  if (code === '53100') return 'diskFull';
  if (code === '25006') return 'readOnly';
  if (code === 'XX001' || code === 'XX002') return 'damaged';
  // lock_not_available (lock_timeout), deadlock, serialization failure, too many connections
  if (code === LOCK_NOT_AVAILABLE || code === '40P01' || code === '40001' || code === '53300') return 'busy';
  if (code === '58030') return 'io';
  if (code === '28P01' || code === '28000') return 'loginRefused';
  if (code === '3D000') return 'serverDatabaseMissing';
  // insufficient_privilege: a missing GRANT, or a row-level security policy
  if (code === '42501') return 'permissionDenied';
  if (code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08')) return 'serverUnreachable';
  return undefined;
}
