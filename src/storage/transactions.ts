import { type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import { ensureGuards } from './guards.js';
import { LONG_WRITE_WAIT_MS, longWriteRunning, markLongWrite } from './long-write.js';
import { StorageError, storageFault } from './storage-error.js';
import type { Database } from './schema.js';

const insideTransaction = new WeakSet<Kysely<Database>>();

/**
 * Runs `work` in one write transaction that takes the register's write lock
 * up front: a second process waits (busy timeout) instead of failing
 * half-way, and what `work` reads (the last number of the year, the head of
 * the event chain, the highest ids) cannot change before it writes. On
 * SQLite that is BEGIN IMMEDIATE; on PostgreSQL, a transaction that first
 * takes the register's advisory lock (WRITE_LOCK_KEY, below), so writers
 * follow one another as on SQLite while readers go on reading. Called
 * inside another write transaction, it simply joins it. A register whose
 * append-only guards are missing is never written to.
 */
export async function writeTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  if (insideTransaction.has(db)) return work(db);
  await ensureGuards(db);
  return db.connection().execute(async (connection) => {
    await beginWriting(connection);
    insideTransaction.add(connection);
    let endMark: (() => void) | undefined;
    try {
      return await commitOrRollBack(connection, async () => {
        if (options.long) endMark = await markLongWrite(connection);
        return work(connection);
      });
    } finally {
      insideTransaction.delete(connection);
      endMark?.();
    }
  });
}

export interface WriteOptions {
  /** A write that may hold the register longer than others wait (an import): they wait on while it runs (long-write.ts). */
  readonly long?: boolean;
}

let waitListener: (() => void) | undefined;

/** Told (once per command) when a writer waits on behind a long write: the command line says so. */
export function onWaitForLongWrite(listener: (() => void) | undefined): void {
  waitListener = listener;
}

/**
 * Begins the write transaction with the write lock. When the wait for it
 * runs out (busy) while a long write holds the register, the listener is
 * told and the lock asked for again, for up to LONG_WRITE_WAIT_MS.
 */
async function beginWriting(connection: Kysely<Database>): Promise<void> {
  const postgres = engineOf(connection) === 'postgres';
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      if (postgres) {
        await sql`begin`.execute(connection);
        await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(connection);
      } else await sql`begin immediate`.execute(connection);
      return;
    } catch (error) {
      if (postgres) await sql`rollback`.execute(connection).catch(() => undefined);
      if (storageFault(error) !== 'busy') throw error;
      if (Date.now() - started >= LONG_WRITE_WAIT_MS || !(await longWriteRunning(connection).catch(() => false))) {
        // Said as long as it was: after waiting on behind a long write, not the usual 30 s.
        throw told ? new StorageError('busy', { seconds: Math.round((Date.now() - started) / 1000) }, { cause: error }) : error;
      }
      if (!told) waitListener?.();
      told = true;
    }
  }
}

/**
 * Ends the transaction the caller began on `connection` with what `work`
 * does: committed when it returns, rolled back when it throws, the original
 * error kept (SQLite may already have rolled back, e.g. on SQLITE_FULL).
 */
export async function commitOrRollBack<T>(connection: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    await sql`commit`.execute(connection);
    return result;
  } catch (error) {
    await sql`rollback`.execute(connection).catch(() => undefined);
    throw error;
  }
}

/** The advisory lock every write transaction on PostgreSQL takes first (one per database). */
export const WRITE_LOCK_KEY = 0x7572_7000;

/** Whether `db` is inside writeTransaction (so holds the write lock). */
export function holdsWriteLock(db: Kysely<Database>): boolean {
  return insideTransaction.has(db);
}
