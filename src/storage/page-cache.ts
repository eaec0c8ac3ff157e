import type { Kysely } from 'kysely';
import { sqliteConnection } from './database.js';
import type { Database } from './schema.js';

/**
 * The page cache of a command that works through the whole register. A
 * page cache never returns its memory to the system once it has grown, so a
 * long command sets it once, before its first query (issue 12: export, db
 * check and import keep to a bounded memory whatever the register's size).
 */

/** Reading every page once (export, db check): enough for the indexes' upper levels, no more. */
export const SCAN_CACHE_KIB = 2048;
/** Writing a long import in one transaction: the indexes' hot pages, half the 64 MB a clerk's command may use. */
export const BULK_WRITE_CACHE_KIB = 32_768;

export function forWholeRegisterScan(db: Kysely<Database>): void {
  sqliteConnection(db)?.pragma(`cache_size = -${SCAN_CACHE_KIB}`);
}

export function forBulkWrite(db: Kysely<Database>): void {
  sqliteConnection(db)?.pragma(`cache_size = -${BULK_WRITE_CACHE_KIB}`);
}
