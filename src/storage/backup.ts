import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { type PostgresStore, type SqliteStore, type Store, connect, openStore, schemaVersion } from './database.js';
import { databaseFiles, sameFile } from './file-identity.js';
import { GUARDS, restorePostgresGuards } from './guards.js';
import { createPrivateFile } from './private-files.js';
import { copyRows, inSnapshot, registerTables } from './register-copy.js';
import { StorageError, storageFault } from './storage-error.js';
import { WRITE_LOCK_KEY, commitOrRollBack } from './transactions.js';

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
    createPrivateFile(partial, store.engine === 'sqlite' ? store.path : undefined);
  } catch {
    throw new StorageError('backupCannotWrite', { path: target });
  }
  try {
    if (store.engine === 'sqlite') await store.sqlite.backup(partial);
    else await copyServerIntoFile(store, partial);
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
  if (store.engine === 'sqlite' && databaseFiles(store.path).some((file) => sameFile(file, path))) throw new StorageError('backupSamePath');
  // An earlier backup may be replaced; a folder or another kind of file never.
  if (existsSync(path) && !isDatabaseFile(path)) throw new StorageError('backupNotOverwritten', { path: target });
  // Nor a database in use: its log beside it (another register, open or not cleanly closed, would be overwritten).
  if (existsSync(`${path}-wal`) || existsSync(`${path}-shm`)) throw new StorageError('backupTargetInUse', { path: target });
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
export async function openBackup(live: Store, source: string): Promise<SqliteStore> {
  const path = resolve(source);
  if (!existsSync(path)) throw new StorageError('backupMissing', { path: source });
  if (live.engine === 'sqlite' && databaseFiles(live.path).some((file) => sameFile(file, path))) throw new StorageError('backupSamePath');
  if (!isDatabaseFile(path) || statSync(path).size === 0) throw new StorageError('backupNotUrp', { path: source });
  let backup: Store;
  try {
    backup = await openStore(path, { migrate: false, readOnlyFallback: true });
  } catch {
    throw new StorageError('backupNotUrp', { path: source });
  }
  const version = await schemaVersion(backup);
  const expected = await schemaVersion(live);
  if (backup.engine !== 'sqlite' || version === 0 || version !== expected) {
    await backup.close();
    if (version === 0) throw new StorageError('backupNotUrp', { path: source });
    throw new StorageError(version > expected ? 'backupNewerSchema' : 'backupSchemaDiffers', { found: version, expected });
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
export async function restoreDatabase(store: Store, source: string): Promise<void> {
  if (store.engine === 'postgres') return restoreIntoServer(store, source);
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
function parentsFirst(sqlite: SqliteStore['sqlite'], tables: readonly string[]): string[] {
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

/**
 * PostgreSQL's backup (issue 13): the register copied, in one repeatable-read
 * snapshot taken while others write, into a new SQLite file of the same
 * schema version. The same kind of file as a SQLite register's backup: `db
 * restore` checks it the same way, and urp opens it with --db to look inside.
 */
async function copyServerIntoFile(store: PostgresStore, file: string): Promise<void> {
  const copy = await openStore(file, { create: true });
  try {
    await inSnapshot(store, async (reader) => {
      const writer = copy.db;
      await writer.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        await commitOrRollBack(connection, () => copyRows(reader, connection));
      });
    });
  } finally {
    await copy.close();
  }
}

/**
 * PostgreSQL's restore: in one transaction holding the write lock, the
 * guards lifted (ALTER TABLE ... DISABLE TRIGGER: the tables' owner only),
 * every row deleted and the backup's copied in, the guards put back as urp
 * defines them and the id sequences moved past the restored rows. Other
 * sessions see the old register or the new one, never a mix.
 */
async function restoreIntoServer(store: PostgresStore, source: string): Promise<void> {
  const backup = await openStore(resolve(source), { migrate: false, readOnlyFallback: true });
  try {
    await inSnapshot(backup, (reader) =>
      store.db.connection().execute(async (connection) => {
        await sql`begin`.execute(connection);
        await commitOrRollBack(connection, async () => {
          await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(connection);
          // Tables the backup has (the kept e-mail messages of a server, which a SQLite backup has not, stay as they are, as its folder does on SQLite).
          const inBackup = new Set((await registerTables(reader)).map((table) => table.name));
          const tables = (await registerTables(connection)).filter((table) => inBackup.has(table.name));
          for (const table of tables) await sql`alter table ${sql.table(table.name)} disable trigger user`.execute(connection);
          for (const table of [...tables].reverse()) await sql`delete from ${sql.table(table.name)}`.execute(connection);
          await copyRows(reader, connection);
          for (const table of tables) await sql`alter table ${sql.table(table.name)} enable trigger user`.execute(connection);
          await restorePostgresGuards(connection);
          await advanceAllSequences(connection, tables.filter((each) => each.hasId).map((each) => each.name));
        });
      }),
    );
  } finally {
    await backup.close();
  }
}

async function advanceAllSequences(connection: Parameters<typeof restorePostgresGuards>[0], tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await sql`select setval(s.sequence, coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)
      from (select pg_get_serial_sequence(${table}, 'id')::regclass as sequence) s where s.sequence is not null`.execute(connection);
  }
}
