import { type Kysely, sql } from 'kysely';

/**
 * The append-only guards hold against INSERT OR REPLACE too. REPLACE
 * removes the row an insert collides with without firing its DELETE
 * trigger (SQLite fires none unless recursive_triggers is on), so with the
 * sqlite3 shell an event could be replaced by another with a fitting hash,
 * the guards of 2026-12-01-001 notwithstanding. An insert that names an id
 * already there is now refused, whatever its conflict clause.
 *
 * PostgreSQL's version of this migration pins the search path of the
 * row-level security functions and checks the messages an area queues.
 *
 * Frozen in time: imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`create trigger ${table}_no_replace before insert on ${table} when exists (select 1 from ${table} where id = new.id)
      begin select raise(abort, '${table} is append-only'); end`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['report_events', 'audit_events']) await sql.raw(`drop trigger ${table}_no_replace`).execute(db);
}
