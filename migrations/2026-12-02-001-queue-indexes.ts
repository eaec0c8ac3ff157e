import type { Kysely } from 'kysely';

/**
 * Nothing to do on SQLite. PostgreSQL's version of this migration gives the
 * queue's rankings indexes that hold each report's id, so that the server
 * ranks a pile from the index alone; SQLite's partial indexes already hold
 * the id of each row (its rowid). Registered so that a register at schema
 * version N is the same on either engine.
 *
 * Frozen in time: imports nothing from the application.
 */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
