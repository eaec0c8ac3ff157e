import { type Kysely, sql } from 'kysely';

/**
 * PostgreSQL's version of migrations/2026-12-01-006-citizen-email-key.ts:
 * the same index on the lower-case form of the e-mail, under another name
 * (PostgreSQL already calls the index of the column's UNIQUE constraint
 * `citizens_email_key`; an index's name is unique in its schema).
 *
 * Frozen in time: imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index citizens_email_lower on citizens (lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index citizens_email_lower`.execute(db);
}
