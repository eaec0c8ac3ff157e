import { type Kysely, sql } from 'kysely';

/**
 * Text search with an index on PostgreSQL (issue 12), the counterpart of
 * SQLite's FTS5 tables under the same name: trigram GIN indexes (pg_trgm)
 * on the folded texts urp searches, which PostgreSQL uses for the same
 * `LIKE '%...%'` conditions a search writes on either engine
 * (src/storage/text-search.ts):
 *
 * - a report's subject, description and place, folded as one text with
 *   \u0001 between them (a mark no typed text holds, so that nothing is
 *   found across two fields);
 * - a citizen's name ("last first", folded as names are), e-mail and phone;
 * - a report's external reference, folded, for an exact match.
 *
 * The indexes hold only what the table holds (no copy elsewhere), and an
 * erasure's VACUUM removes their dead entries with the rows'.
 *
 * pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13
 * and later): the owner of the database may create it. Where it cannot be
 * created, the functions are made all the same and searches read row by row,
 * with the same results.
 *
 * urp_fold_name is src/text/fold.ts foldName: urp_fold, then apostrophes
 * dropped and anything but letters and digits a space (classified by ICU
 * where the server has it, as JavaScript classifies them).
 *
 * Written with \u escapes, not the characters: bin/urp reads the bundle as
 * Latin-1, and esbuild keeps a tagged template's text as it is written.
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const icu = await sql<{ present: boolean }>`select exists (select 1 from pg_collation where collname = 'und-x-icu') as present`.execute(db);
  const collation = icu.rows[0]?.present ? sql.raw(' collate "und-x-icu"') : sql.raw('');
  await sql`create function urp_fold_name(text) returns text
    language sql immutable strict parallel safe
    as $$ select btrim(regexp_replace(regexp_replace(urp_fold($1), '[''\u2019\u02bc\`\u00b4\u2018]', '', 'g')${collation}, '[^[:alpha:][:digit:]]+', ' ', 'g')) $$`.execute(db);
  await sql`create function urp_report_text(subject text, description text, location text) returns text
    language sql immutable parallel safe
    as $$ select urp_fold(coalesce(subject, '')) || chr(1) || urp_fold(coalesce(description, '')) || chr(1) || urp_fold(coalesce(location, '')) $$`.execute(db);
  await sql`create index reports_external_ref_folded on reports (urp_fold(external_ref))`.execute(db);

  const available = await sql<{ present: boolean }>`select exists (select 1 from pg_available_extensions where name = 'pg_trgm') as present`.execute(db);
  if (!available.rows[0]?.present) return;
  // The migrations run in one transaction: a refusal (no right to create it) must not undo the others.
  await sql`savepoint urp_trigram`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`release savepoint urp_trigram`.execute(db);
  } catch {
    await sql`rollback to savepoint urp_trigram`.execute(db);
    return;
  }
  await sql`create index reports_text_trigram on reports using gin (urp_report_text(subject, description, location) gin_trgm_ops)`.execute(db);
  await sql`create index citizens_name_trigram on citizens using gin (urp_fold_name(last_name || ' ' || first_name) gin_trgm_ops)`.execute(db);
  await sql`create index citizens_email_trigram on citizens using gin (lower(email) gin_trgm_ops)`.execute(db);
  await sql`create index citizens_phone_trigram on citizens using gin (lower(phone) gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['reports_text_trigram', 'citizens_name_trigram', 'citizens_email_trigram', 'citizens_phone_trigram', 'reports_external_ref_folded']) {
    await sql.raw(`drop index if exists ${index}`).execute(db);
  }
  await sql`drop function if exists urp_report_text(text, text, text)`.execute(db);
  await sql`drop function if exists urp_fold_name(text)`.execute(db);
}
