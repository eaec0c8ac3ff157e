import { type Kysely, sql } from 'kysely';

/**
 * E-mails are stored with their local part as typed and matched whatever
 * its case (mario.rossi@ and Mario.Rossi@ are one person): an index on the
 * lower-case form, which the matching reads (src/domain/citizens.ts EMAIL_KEY).
 * Frozen in time: imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index citizens_email_key on citizens (lower(email))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index citizens_email_key`.execute(db);
}
