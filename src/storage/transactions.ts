import { type Kysely, sql } from 'kysely';
import { ensureGuards } from './guards.js';
import type { Database } from './schema.js';

const insideTransaction = new WeakSet<Kysely<Database>>();

/**
 * Runs `work` in one write transaction, started with BEGIN IMMEDIATE so that
 * the write lock is taken up front: a second process waits (busy timeout)
 * instead of failing half-way, and what `work` reads (the last number of the
 * year, the head of the event chain) cannot change before it writes. Called
 * inside another write transaction, it simply joins it. A register whose
 * append-only guards are missing is never written to.
 */
export async function writeTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (insideTransaction.has(db)) return work(db);
  await ensureGuards(db);
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    insideTransaction.add(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original error matters.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    } finally {
      insideTransaction.delete(connection);
    }
  });
}
