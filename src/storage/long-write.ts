import { rmSync, statSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import { createPrivateFile } from './private-files.js';
import { registerFile } from './register-file.js';
import type { Database } from './schema.js';

/**
 * A long write (an import of history) holds the register's write lock for
 * longer than a clerk's command waits for it (BUSY_TIMEOUT_MS): 23 s for
 * 200,000 rows on a PostgreSQL server of this project's benchmark machine,
 * a minute or more for a million. A writer whose wait ran out asks whether
 * a long write holds the register, and if so waits on (saying so once)
 * instead of giving up: the import is working, not stuck. A process that
 * dies mid-import lets its mark go with its locks, so no one waits on a
 * write that no longer runs.
 *
 * Either mark is taken once the write lock is held, and held only while it is:
 *
 * - PostgreSQL: the long write also holds the advisory lock LONG_WRITE_KEY,
 *   which any login sees in `pg_locks`.
 * - SQLite: the long write holds an exclusive lock on an empty SQLite file
 *   beside the register (`<register>-long-write`, removed afterwards): an
 *   operating-system lock, which the system releases when the process ends.
 */
export const LONG_WRITE_KEY = 0x7572_7001;

/** How long, at most, a writer waits behind a long write. */
export const LONG_WRITE_WAIT_MS = 20 * 60_000;

const markOf = (file: string) => `${file}-long-write`;

/**
 * Marks the long write that `connection` is doing, called inside its write
 * transaction, with the write lock held (so that only one process at a time
 * takes a mark); returns what ends the mark, after the transaction.
 * PostgreSQL: an advisory lock of the transaction (ended with it).
 */
export async function markLongWrite(connection: Kysely<Database>): Promise<() => void> {
  if (engineOf(connection) === 'postgres') {
    await sql`select pg_advisory_xact_lock(${sql.lit(LONG_WRITE_KEY)})`.execute(connection);
    return () => undefined;
  }
  const file = await registerFile(connection);
  if (!file) return () => undefined;
  const mark = markOf(file);
  const { connect } = await import('./sqlite-driver.js');
  for (let attempt = 0; attempt < 3; attempt++) {
    let holder: ReturnType<typeof connect> | undefined;
    try {
      // As private as the register (its group, when shared), so that every clerk of the register can read it.
      createPrivateFile(mark, file);
      const taken = statSync(mark).ino;
      holder = connect(mark);
      holder.pragma('journal_mode = DELETE');
      holder.exec('begin exclusive');
      // The previous long write's mark is removed before its lock is let go: if this one waited for that
      // lock, the file it holds is no longer the one others look at, and a fresh one is taken.
      if (statSync(mark, { throwIfNoEntry: false })?.ino === taken) {
        const held = holder;
        return () => {
          rmSync(mark, { force: true });
          held.close();
        };
      }
      holder.close();
    } catch {
      // Without the mark the import still runs; the clerks then wait only the usual time.
      holder?.close();
      return () => undefined;
    }
  }
  return () => undefined;
}

/** Whether a long write holds the register now (asked after a wait for the write lock ran out). */
export async function longWriteRunning(connection: Kysely<Database>): Promise<boolean> {
  if (engineOf(connection) === 'postgres') {
    const { rows } = await sql<{ held: boolean }>`select exists (
        select 1 from pg_locks
        where locktype = 'advisory' and granted and objsubid = 1 and classid = 0 and objid = ${sql.lit(LONG_WRITE_KEY)}
          and database = (select oid from pg_database where datname = current_database())) as held`.execute(connection);
    return rows[0]?.held === true;
  }
  const file = await registerFile(connection);
  if (!file) return false;
  const { connect } = await import('./sqlite-driver.js');
  let probe: ReturnType<typeof connect> | undefined;
  try {
    probe = connect(markOf(file), { readonly: true, fileMustExist: true });
    probe.pragma('busy_timeout = 0');
    probe.prepare('select count(*) from sqlite_master').get();
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'SQLITE_BUSY';
  } finally {
    probe?.close();
  }
}
