import { type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';
import { StorageError } from './storage-error.js';

/**
 * The database's own guards of the legal record: triggers that refuse to
 * update or delete events and audit events, and to insert one without its
 * chain hash. Someone with the sqlite3 shell can drop them; urp then refuses
 * to write (nothing it records could be trusted) and `db check` names them.
 * The definitions are those of migrations 2026-12-01-001 and 2026-12-02-002, compared with
 * blanks and case ignored (a test checks that they agree).
 */
const definition = (name: string, text: string) => [name, normalise(`create trigger ${name} ${text}`)] as const;

export const GUARDS: ReadonlyMap<string, string> = new Map(
  ['report_events', 'audit_events'].flatMap((table) => [
    definition(`${table}_no_update`, `before update on ${table} begin select raise(abort, '${table} is append-only'); end`),
    definition(`${table}_no_delete`, `before delete on ${table} begin select raise(abort, '${table} is append-only'); end`),
    definition(
      `${table}_hash_required`,
      `before insert on ${table} when new.hash is null or length(new.hash) != 64 begin select raise(abort, '${table} rows carry their chain hash'); end`,
    ),
    // Migration 2026-12-02-002: REPLACE removes a row without firing its DELETE trigger.
    definition(
      `${table}_no_replace`,
      `before insert on ${table} when exists (select 1 from ${table} where id = new.id) begin select raise(abort, '${table} is append-only'); end`,
    ),
  ]),
);

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * PostgreSQL's guards (migrations/postgres/): row triggers refusing UPDATE
 * and DELETE, a statement trigger refusing TRUNCATE (which fires no DELETE
 * trigger), and the hash required on INSERT, each calling its PL/pgSQL
 * function. A guard counts as in place when its trigger is defined as the
 * migration defined it, enabled (ALTER TABLE ... DISABLE TRIGGER is the
 * way around it), and its function's body is the migration's.
 */
const postgresDefinition = (name: string, text: string) => [name, normalise(`create trigger ${name} ${text}`)] as const;

export const POSTGRES_GUARDS: ReadonlyMap<string, string> = new Map(
  ['report_events', 'audit_events'].flatMap((table) => [
    postgresDefinition(`${table}_hash_required`, `before insert on ${table} for each row when (((new.hash is null) or (length(new.hash) <> 64))) execute function urp_hash_required()`),
    postgresDefinition(`${table}_no_delete`, `before delete on ${table} for each row execute function urp_append_only()`),
    postgresDefinition(`${table}_no_truncate`, `before truncate on ${table} for each statement execute function urp_append_only()`),
    postgresDefinition(`${table}_no_update`, `before update on ${table} for each row execute function urp_append_only()`),
  ]),
);

const POSTGRES_GUARD_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['urp_append_only', normalise(`begin raise exception '% is append-only', tg_table_name using errcode = 'restrict_violation'; end`)],
  ['urp_hash_required', normalise(`begin raise exception '% rows carry their chain hash', tg_table_name using errcode = 'not_null_violation'; end`)],
]);

/** Puts PostgreSQL's guards back as urp defines them (a restore, inside its transaction). */
export async function restorePostgresGuards(db: Kysely<Database>): Promise<void> {
  for (const [name, body] of POSTGRES_GUARD_FUNCTIONS) {
    await sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$ ${body} $$`).execute(db);
  }
  for (const [name, definition] of POSTGRES_GUARDS) {
    const table = name.replace(/_(hash_required|no_delete|no_truncate|no_update)$/, '');
    await sql.raw(`drop trigger if exists ${name} on ${table}`).execute(db);
    await sql.raw(definition).execute(db);
  }
}

async function missingPostgresGuards(db: Kysely<Database>): Promise<string[]> {
  // pg_get_triggerdef names the table with its schema only when it is not on the search path: compared without it.
  const triggers = await sql<{ name: string; definition: string; enabled: string; body: string | null }>`
    select t.tgname as name, pg_get_triggerdef(t.oid) as definition, t.tgenabled as enabled, p.prosrc as body, p.proname as function
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_proc p on p.oid = t.tgfoid
    where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace`.execute(db);
  const present = new Map(
    triggers.rows.map((row) => {
      const functionName = (row as unknown as { function: string }).function;
      const sound = row.enabled !== 'D' && POSTGRES_GUARD_FUNCTIONS.get(functionName) === normalise(row.body ?? '');
      return [row.name, sound ? normalise(row.definition).replace(/ on \S+\./, ' on ') : ''];
    }),
  );
  return [...POSTGRES_GUARDS].filter(([name, text]) => present.get(name) !== text).map(([name]) => name);
}

/** The guards that are missing or not as defined, by name (empty: all in place). */
export async function missingGuards(db: Kysely<Database>): Promise<string[]> {
  if (engineOf(db) === 'postgres') return missingPostgresGuards(db);
  const rows = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'trigger'`.execute(db);
  const present = new Map(rows.rows.map((row) => [row.name, normalise(row.sql ?? '')]));
  return [...GUARDS].filter(([name, text]) => present.get(name) !== text).map(([name]) => name);
}

const verified = new WeakSet<object>();

/**
 * Refuses (StorageError `guardsMissing`) to write to a register whose guards
 * are gone; checked once per connection.
 */
export async function ensureGuards(db: Kysely<Database>): Promise<void> {
  if (verified.has(db)) return;
  const missing = await missingGuards(db);
  if (missing.length > 0) throw new StorageError('guardsMissing', { guards: missing.join(', ') });
  verified.add(db);
}
