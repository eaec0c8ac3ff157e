import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The hash of the last row of an append-only, hash-chained table, read by
 * the transaction about to append to it. On SQLite the write transaction
 * (BEGIN IMMEDIATE) already holds the only write lock, so no other process
 * can append in between.
 */
export async function chainHead(db: Kysely<Database>, table: 'report_events' | 'audit_events'): Promise<string> {
  const row = await db.selectFrom(table).select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? '';
}
