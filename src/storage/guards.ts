import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';
import { StorageError } from './storage-error.js';

/**
 * The database's own guards of the legal record: triggers that refuse to
 * update or delete events and audit events, and to insert one without its
 * chain hash. Someone with the sqlite3 shell can drop them; urp then refuses
 * to write (nothing it records could be trusted) and `db check` names them.
 * The definitions are those of migration 2026-12-01-001, compared with
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
  ]),
);

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The guards that are missing or not as defined, by name (empty: all in place). */
export async function missingGuards(db: Kysely<Database>): Promise<string[]> {
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
