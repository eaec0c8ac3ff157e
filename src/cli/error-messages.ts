import type { InputError } from '../domain/errors.js';
import { type Language, statuses } from '../domain/vocabulary.js';
import { type MessageKey, translate, translateOptional } from '../i18n/messages.js';
import { BUSY_TIMEOUT_MS } from '../storage/database.js';
import { type StorageFault, StorageError, storageFault } from '../storage/storage-error.js';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone.js';
import { fieldLabel } from './field-labels.js';
import { formatInstant } from './render/dates.js';


const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

/** An input error as one line: `--subject: required`. */
export function describeInputError(error: InputError, language: Language): string {
  const params = Object.fromEntries(
    Object.entries(error.params).map(([name, value]) => {
      // A status is shown with its label in the reader's language.
      if (name === 'status' && typeof value === 'string' && statuses.is(value)) return [name, `"${statuses.label(value, language)}"`];
      // A permission, as what it lets one do.
      if (name === 'permission' && typeof value === 'string') return [name, translateOptional(language, `permission.to.${value}`) ?? value];
      // An instant in the office's time (the process runs in it), as the rest of urp shows them.
      if (typeof value === 'string' && UTC_INSTANT.test(value)) return [name, formatInstant(value, process.env.TZ ?? DEFAULT_TIME_ZONE, language, false)];
      return [name, value];
    }),
  );
  const message = translate(language, error.key, params);
  return error.field ? `${fieldLabel(error.field, language)}: ${message}` : message;
}

/** Each storage fault: its message and exit code (2: the path the user gave is wrong; 1: the environment). */
const STORAGE_FAULTS: Record<StorageFault, { key: MessageKey; exitCode: 1 | 2; field?: string }> = {
  missing: { key: 'db.missing', exitCode: 2, field: 'db' },
  notADatabase: { key: 'db.notADatabase', exitCode: 2, field: 'db' },
  cannotOpen: { key: 'db.cannotOpen', exitCode: 2, field: 'db' },
  diskFull: { key: 'storage.diskFull', exitCode: 1 },
  readOnly: { key: 'storage.readOnly', exitCode: 1 },
  damaged: { key: 'storage.damaged', exitCode: 1 },
  io: { key: 'storage.io', exitCode: 1 },
  busy: { key: 'storage.busy', exitCode: 1 },
  guardsMissing: { key: 'storage.guardsMissing', exitCode: 1 },
  unknownMigration: { key: 'storage.unknownMigration', exitCode: 1 },
  newerSchema: { key: 'database.newerSchema', exitCode: 1 },
  migrationReadOnly: { key: 'storage.migrationReadOnly', exitCode: 1 },
  readOnlyAudit: { key: 'storage.readOnlyAudit', exitCode: 1 },
  backupSamePath: { key: 'backup.samePath', exitCode: 2, field: 'file' },
  backupNotOverwritten: { key: 'backup.notOverwritten', exitCode: 2, field: 'file' },
  backupTargetInUse: { key: 'backup.targetInUse', exitCode: 2, field: 'file' },
  backupCannotWrite: { key: 'backup.cannotWrite', exitCode: 2, field: 'file' },
  backupMissing: { key: 'import.cannotRead', exitCode: 2, field: 'file' },
  backupNotUrp: { key: 'backup.notADatabase', exitCode: 2, field: 'file' },
  backupSchemaDiffers: { key: 'backup.schemaDiffers', exitCode: 2, field: 'file' },
  backupNewerSchema: { key: 'backup.newerSchema', exitCode: 2, field: 'file' },
  backupFailed: { key: 'backup.failed', exitCode: 1 },
  serverUnreachable: { key: 'server.unreachable', exitCode: 1 },
  loginRefused: { key: 'server.loginRefused', exitCode: 2, field: 'db' },
  serverDatabaseMissing: { key: 'server.databaseMissing', exitCode: 2, field: 'db' },
  permissionDenied: { key: 'server.permissionDenied', exitCode: 2 },
  copyTargetNotEmpty: { key: 'copy.targetNotEmpty', exitCode: 2, field: 'to' },
  copySameRegister: { key: 'copy.sameRegister', exitCode: 2, field: 'to' },
};

/**
 * A fault of the disk, the file or another process, in words and with its
 * exit code; undefined for an error that is none of them (a bug).
 */
export function describeStorageError(error: unknown, language: Language, databasePath: string | undefined): { message: string; exitCode: 1 | 2 } | undefined {
  const fault = storageFault(error);
  if (!fault) return undefined;
  const details = error instanceof StorageError ? error.details : {};
  const { key, exitCode, field } = STORAGE_FAULTS[fault];
  const params = { path: databasePath ?? '', seconds: BUSY_TIMEOUT_MS / 1000, ...details };
  const message = translate(language, key, params);
  // The wrong path the user gave is named as the flag that gave it, as input errors are.
  const named = field === 'file' || (field === 'db' && details.path === databasePath);
  return { message: named ? `${fieldLabel(field!, language)}: ${message}` : message, exitCode };
}
