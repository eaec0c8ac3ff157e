import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../domain/errors.js';
import { type Store, connect, schemaVersion } from './database.js';
import { databaseFiles, sameFile } from './file-identity.js';

/**
 * A consistent copy of the database, taken with SQLite's online backup API
 * while other processes go on writing. The copy is a single file (no WAL),
 * readable by its owner only.
 */
export async function backupDatabase(store: Store, target: string): Promise<void> {
  const path = resolve(target);
  if (databaseFiles(store.path).some((file) => sameFile(file, path))) throw new InputError('backup.samePath', {}, 'file');
  // An earlier backup may be replaced; a folder or another kind of file never.
  if (existsSync(path) && !isDatabaseFile(path)) throw new InputError('backup.notOverwritten', { path: target }, 'file');
  try {
    createOwnerOnly(path);
  } catch {
    throw new InputError('backup.cannotWrite', { path: target }, 'file');
  }
  await store.sqlite.backup(path);
  chmodSync(path, 0o600);
  // The copy stands alone: fold its journal into it.
  const copy = connect(path);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** An existing regular file that is empty or starts with SQLite's header. */
function isDatabaseFile(path: string): boolean {
  if (!statSync(path).isFile()) return false;
  const header = Buffer.alloc(16);
  const descriptor = openSync(path, 'r');
  try {
    const length = readSync(descriptor, header, 0, 16, 0);
    return length === 0 || header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Creates `path` (empty) readable by its owner only, or makes an existing file
 * so, before SQLite writes a byte of personal data into it: SQLite keeps the
 * mode of a file that exists, and would create a new one following the umask.
 */
export function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(path, 0o600);
}

/**
 * Restores a backup into the live database, in one immediate transaction:
 * other processes see the old contents or the new, never a mix. Rows are
 * copied table by table (the append-only triggers are lifted for the
 * duration and put back, as they were, before the commit). The backup must
 * hold the same schema version.
 */
export function restoreDatabase(store: Store, source: string): void {
  const path = resolve(source);
  if (!existsSync(path)) throw new InputError('import.cannotRead', { path: source }, 'file');
  if (databaseFiles(store.path).some((file) => sameFile(file, path))) throw new InputError('backup.samePath', {}, 'file');
  let version: number;
  try {
    const probe = connect(path, { readonly: true, fileMustExist: true });
    try {
      version = schemaVersion(probe);
    } finally {
      probe.close();
    }
  } catch {
    throw new InputError('backup.notADatabase', { path: source }, 'file');
  }
  if (version !== schemaVersion(store.sqlite)) {
    throw new InputError('backup.schemaDiffers', { found: version, expected: schemaVersion(store.sqlite) }, 'file');
  }

  const sqlite = store.sqlite;
  sqlite.prepare('attach database ? as restored').run(path);
  try {
    const tables = sqlite
      .prepare(`select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
      .pluck()
      .all() as string[];
    const triggers = sqlite.prepare(`select name, sql from main.sqlite_master where type = 'trigger'`).all() as Array<{ name: string; sql: string }>;
    sqlite.exec('begin immediate');
    try {
      // Parents are deleted last and filled first; foreign keys are checked at the commit.
      sqlite.pragma('defer_foreign_keys = ON');
      for (const trigger of triggers) sqlite.exec(`drop trigger main."${trigger.name}"`);
      for (const table of tables) sqlite.exec(`delete from main."${table}"`);
      for (const table of tables) sqlite.exec(`insert into main."${table}" select * from restored."${table}"`);
      for (const trigger of triggers) sqlite.exec(trigger.sql);
      sqlite.exec('commit');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      throw error;
    }
  } finally {
    sqlite.exec('detach database restored');
  }
}
