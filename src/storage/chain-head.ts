import { type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';

/**
 * The hash of the last row of an append-only, hash-chained table, read by
 * the transaction about to append to it. That transaction holds the
 * register's write lock (BEGIN IMMEDIATE on SQLite, the advisory write lock
 * on PostgreSQL: src/storage/transactions.ts), so no other process can
 * append in between. On PostgreSQL the head is read through a function that
 * sees every row: an area login's row-level security hides other areas'
 * events, not the end of the one chain they all belong to.
 */
export async function chainHead(db: Kysely<Database>, table: 'report_events' | 'audit_events'): Promise<string> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ head: string }>`select ${sql.raw(`urp_${table}_head()`)} as head`.execute(db);
    return rows[0]?.head ?? '';
  }
  const row = await db.selectFrom(table).select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? '';
}

/**
 * How many rows a chain holds and its head, for `db status`: on PostgreSQL
 * through the functions that see every row (an area login's status shows
 * the whole register's chains, which it appends to, not the part it reads).
 */
export async function chainSummary(db: Kysely<Database>, table: 'report_events' | 'audit_events'): Promise<{ count: number; head: string }> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ count: number; head: string }>`select ${sql.raw(`urp_${table}_length()`)} as count, ${sql.raw(`urp_${table}_head()`)} as head`.execute(db);
    return { count: Number(rows[0]?.count ?? 0), head: rows[0]?.head ?? '' };
  }
  const counted = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { count: Number(counted.n), head: await chainHead(db, table) };
}
