import { CompiledQuery, type Kysely, sql } from 'kysely';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';

/**
 * Writing many rows fast, on any engine kysely speaks: multi-row INSERT
 * statements of up to ROWS_PER_STATEMENT rows, whose SQL is compiled once
 * per table, columns and row count by the dialect itself (so placeholders
 * are `?` or `$1` as the engine wants) and then only given new values.
 */
const MAX_PARAMETERS = 30_000;
const ROWS_PER_STATEMENT = 256;
/**
 * The row counts a statement is compiled for: a batch of any length is cut
 * into statements of these sizes only, so that a long import prepares (and
 * the connection caches) a handful of statements per table, not one for
 * every remainder (a statement of 256 rows of 40 columns weighs a megabyte).
 */
const STATEMENT_SIZES = [ROWS_PER_STATEMENT, 16, 1];

const compiled = new Map<string, string>();

function statementFor(db: Kysely<Database>, table: string, columns: readonly string[], rows: number): string {
  // Per engine too: a backup of a server writes a SQLite file in the same process.
  const key = `${engineOf(db)}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = compiled.get(key);
  if (text === undefined) {
    const values = sql.join(Array.from({ length: rows }, () => sql`(${sql.join(columns.map(() => null))})`));
    text = sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) values ${values}`.compile(db).sql;
    compiled.set(key, text);
  }
  return text;
}

/**
 * Inserts rows (objects with the same keys, in the caller's transaction).
 * Values must already be what the column stores: text, numbers or null.
 * With `sequence: 'later'` the caller moves PostgreSQL's id sequence past
 * the ids it gave (moveSequencePast) once, after its last batch.
 */
export async function insertMany<Table extends keyof Database & string>(
  db: Kysely<Database>,
  table: Table,
  rows: ReadonlyArray<Readonly<Record<string, string | number | null>>>,
  { sequence = 'now' }: { sequence?: 'now' | 'later' } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const highestId = () => (columns.includes('id') ? rows.reduce((most, row) => Math.max(most, Number(row.id)), 0) : 0);
  if (engineOf(db) === 'postgres' && (await insertManyByArrays(db, table, columns, rows))) {
    if (sequence === 'now') await moveSequencePast(db, table, highestId());
    return;
  }
  const widest = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  let start = 0;
  for (const size of STATEMENT_SIZES.map((rowsEach) => Math.min(rowsEach, widest))) {
    for (; rows.length - start >= size; start += size) {
      const parameters: Array<string | number | null> = [];
      for (let index = start; index < start + size; index++) for (const column of columns) parameters.push(rows[index]![column] ?? null);
      await db.executeQuery(CompiledQuery.raw(statementFor(db, table, columns, size), parameters));
    }
  }
  if (engineOf(db) === 'postgres' && sequence === 'now') await moveSequencePast(db, table, highestId());
}

/**
 * PostgreSQL's id sequence knows nothing of ids given by the caller: moved
 * past the highest, so that a later row given its id by the sequence does
 * not take one. Nothing to do on SQLite, whose next id is past the highest.
 */
export async function moveSequencePast(db: Kysely<Database>, table: string, highest: number): Promise<void> {
  if (engineOf(db) !== 'postgres' || highest <= 0) return;
  await sql`select setval(s.sequence, greatest(${highest}::bigint, coalesce(pg_sequence_last_value(s.sequence), 0)))
    from (select pg_get_serial_sequence(${table}, 'id')::regclass as sequence) s where s.sequence is not null`.execute(db);
}

/** Rows per statement on PostgreSQL: each column travels as one array, whatever the number of rows. */
const ROWS_PER_ARRAY_STATEMENT = 5_000;
const columnTypes = new Map<string, Promise<Map<string, string>>>();

/**
 * PostgreSQL: `insert ... select * from unnest($1::integer[], $2::text[], ...)`,
 * one array parameter per column. The statement is the same small text for
 * any number of rows, so the server parses and plans it in no time, where a
 * multi-row VALUES list of thousands of parameters costs more to parse than
 * to write (an import of history is several times faster). False when a
 * column's type is not one an array carries as text (bytea), or unknown:
 * the caller then writes VALUES lists.
 */
async function insertManyByArrays(
  db: Kysely<Database>,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<Readonly<Record<string, string | number | null>>>,
): Promise<boolean> {
  let types = columnTypes.get(table);
  if (!types) {
    types = sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped`
      .execute(db)
      .then(({ rows: found }) => new Map(found.map((row) => [row.name, row.type])));
    columnTypes.set(table, types);
  }
  const typeOf = await types;
  if (columns.some((column) => !typeOf.has(column) || typeOf.get(column) === 'bytea')) return false;
  const key = `postgres-arrays\u0000${table}\u0000${columns.join(',')}`;
  let text = compiled.get(key);
  if (text === undefined) {
    const arrays = sql.join(columns.map((column) => sql`${null}::${sql.raw(`${typeOf.get(column)!}[]`)}`));
    text = sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) select * from unnest(${arrays})`.compile(db).sql;
    compiled.set(key, text);
  }
  for (let start = 0; start < rows.length; start += ROWS_PER_ARRAY_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_ARRAY_STATEMENT);
    await db.executeQuery(CompiledQuery.raw(text, columns.map((column) => slice.map((row) => row[column] ?? null))));
  }
  return true;
}

/**
 * The first of the ids the caller's write transaction may give its new rows
 * of a table itself (so that rows and the events and replies that refer to
 * them are written in batches, without reading each id back). Called with
 * the write lock held. On PostgreSQL the id sequence may be ahead of the
 * highest id (a rolled-back transaction used numbers): the first free id is
 * past both, and insertMany moves the sequence past the ids it was given.
 */
export async function firstFreeId(db: Kysely<Database>, table: 'citizens' | 'reports' | 'report_events' | 'replies'): Promise<number> {
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ id: number }>`select greatest(
        (select coalesce(max(id), 0) from ${sql.table(table)}),
        coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0)) as id`.execute(db);
    return Number(rows[0]?.id ?? 0) + 1;
  }
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0) + 1;
}

/**
 * Fresh planner statistics for a table a long write is filling (the
 * import's temporary tables): PostgreSQL never analyses a temporary table
 * by itself, and without statistics it reads a growing table whole for
 * every lookup. SQLite's planner needs none to use a primary key.
 */
export async function refreshStatistics(db: Kysely<any>, table: string): Promise<void> {
  if (engineOf(db) === 'postgres') await sql`analyze ${sql.table(table)}`.execute(db);
}
