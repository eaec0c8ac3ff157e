import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Store, connect, openStore, schemaVersion } from './database.js';
import { databaseFiles, sameFile } from './file-identity.js';
import { GUARDS } from './guards.js';
import { createPrivateFile } from './private-files.js';
import { StorageError, storageFault } from './storage-error.js';

/**
 * A consistent copy of the database, taken with SQLite's online backup API
 * while other processes go on writing. The copy is a single file (no WAL),
 * as private as the database (owner only, or its group when shared), and
 * checked with SQLite's quick check before it takes the target's name: a
 * backup that fails (a full disk, a check that does not pass) leaves no
 * file behind, and never a half-written one under the name asked for.
 */
export async function backupDatabase(store: Store, target: string): Promise<void> {
  const path = checkBackupTarget(store, target);
  const partial = join(dirname(path), `.${basename(path)}.urp-partial-${process.pid}`);
  try {
    createPrivateFile(partial, store.path);
  } catch {
    throw new StorageError('backupCannotWrite', { path: target });
  }
  try {
    await store.sqlite.backup(partial);
    const copy = connect(partial);
    try {
      // The copy stands alone: its journal folded into it.
      copy.pragma('journal_mode = DELETE');
      const problems = copy.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
      if (problems.some((row) => row.quick_check !== 'ok')) throw new StorageError('backupFailed', { path: target, reason: 'quick_check' });
    } finally {
      copy.close();
    }
    const descriptor = openSync(partial, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof StorageError) throw error;
    const fault = storageFault(error);
    throw new StorageError(fault === 'diskFull' ? 'diskFull' : 'backupFailed', { path: target, reason: describe(error) }, { cause: error });
  }
}

/** Refuses a target that is the database (by any name), a folder or a file other than an earlier backup. */
export function checkBackupTarget(store: Store, target: string): string {
  const path = resolve(target);
  if (databaseFiles(store.path).some((file) => sameFile(file, path))) throw new StorageError('backupSamePath');
  // An earlier backup may be replaced; a folder or another kind of file never.
  if (existsSync(path) && !isDatabaseFile(path)) throw new StorageError('backupNotOverwritten', { path: target });
  return path;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
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
 * A backup to restore, opened read-only after the checks that need no
 * knowledge of reports: it exists, it is not the live database, it is a
 * urp database of the live one's schema version. The caller runs the
 * register's own checks on it before `restoreDatabase`.
 */
export async function openBackup(live: Store, source: string): Promise<Store> {
  const path = resolve(source);
  if (!existsSync(path)) throw new StorageError('backupMissing', { path: source });
  if (databaseFiles(live.path).some((file) => sameFile(file, path))) throw new StorageError('backupSamePath');
  let backup: Store;
  try {
    backup = await openStore(path, { migrate: false, readOnlyFallback: true });
  } catch {
    throw new StorageError('backupNotUrp', { path: source });
  }
  const version = schemaVersion(backup.sqlite);
  if (version === 0 || version !== schemaVersion(live.sqlite)) {
    await backup.close();
    if (version === 0) throw new StorageError('backupNotUrp', { path: source });
    throw new StorageError('backupSchemaDiffers', { found: version, expected: schemaVersion(live.sqlite) });
  }
  return backup;
}

/**
 * Restores a backup into the live database, in one immediate transaction:
 * other processes see the old contents or the new, never a mix. Rows are
 * copied table by table; the append-only guards are lifted for the duration
 * and put back as urp defines them (not as the live file had them, which
 * may be how it was damaged) before the commit.
 */
export function restoreDatabase(store: Store, source: string): void {
  const sqlite = store.sqlite;
  sqlite.prepare('attach database ? as restored').run(resolve(source));
  try {
    // A virtual table (the search index) has no rows of its own: its shadow tables are copied like the others.
    const tables = parentsFirst(
      sqlite,
      sqlite
        .prepare(`select name from main.sqlite_master where type = 'table' and name not like 'sqlite_%' and rootpage <> 0 order by name`)
        .pluck()
        .all() as string[],
    );
    const triggers = sqlite.prepare(`select name, sql from main.sqlite_master where type = 'trigger'`).all() as Array<{ name: string; sql: string }>;
    // Other triggers (keeping derived tables in step) come back as they were.
    const others = triggers.filter((trigger) => !GUARDS.has(trigger.name));
    sqlite.exec('begin immediate');
    // SQLite refuses to write a virtual table's shadow tables directly (defensive mode) unless told.
    sqlite.unsafeMode(true);
    try {
      // Parents are deleted last and filled first; foreign keys are checked at the commit.
      sqlite.pragma('defer_foreign_keys = ON');
      for (const trigger of triggers) sqlite.exec(`drop trigger main."${trigger.name}"`);
      for (const table of [...tables].reverse()) sqlite.exec(`delete from main."${table}"`);
      for (const table of tables) sqlite.exec(`insert into main."${table}" select * from restored."${table}"`);
      for (const trigger of others) sqlite.exec(trigger.sql);
      for (const definition of GUARDS.values()) sqlite.exec(definition);
      sqlite.exec('commit');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      throw error;
    } finally {
      sqlite.unsafeMode(false);
    }
  } finally {
    sqlite.exec('detach database restored');
  }
}

/**
 * The tables in an order where each comes after the tables it refers to.
 * Deferred foreign keys alone are not enough: SQLite copies a table that
 * refers to no other (`insert ... select *` between files) without looking
 * for the rows that were waiting for it, so a child copied before its parent
 * would fail the commit although every reference is whole.
 */
function parentsFirst(sqlite: Store['sqlite'], tables: readonly string[]): string[] {
  const parents = new Map(
    tables.map((table) => [
      table,
      (sqlite.prepare('select "table" from main.pragma_foreign_key_list(?)').pluck().all(table) as string[]).filter((parent) => parent !== table && tables.includes(parent)),
    ]),
  );
  const ordered: string[] = [];
  const visit = (table: string, path: ReadonlySet<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    for (const parent of parents.get(table) ?? []) visit(parent, new Set([...path, table]));
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}
