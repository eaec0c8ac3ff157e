import { type Kysely, sql } from 'kysely';
import { compareCodes } from '../text/compare.js';
import { insertMany } from './bulk.js';
import type { Store } from './store.js';
import { engineOf } from './engine.js';
import { indexAllReports } from './text-search.js';
import type { Database } from './schema.js';
import { commitOrRollBack, writeTransaction } from './transactions.js';

/**
 * A whole register copied row by row from one store to another, on either
 * engine (issue 13): `db copy` (SQLite ⇄ PostgreSQL), and backups and
 * restores on PostgreSQL, whose backup is a SQLite file. Every value is
 * copied as it is stored (text, integers, null), so the events keep their
 * hashes byte for byte and the chains verify on the other side.
 *
 * The source is read in one snapshot (a read transaction on SQLite, a
 * repeatable-read one on PostgreSQL) while others go on writing; the
 * target is written in one transaction: it holds the whole copy or none.
 * Both stores must be at the same schema version (the caller checks).
 */

/** A table of the register and what the copy needs to know of it. */
interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  /** Copied in id order, a batch at a time; tables without one are small and read whole. */
  readonly hasId: boolean;
  /** The tables its foreign keys refer to. */
  readonly parents: readonly string[];
}

const BATCH = 2000;

/** The register's own tables (not the engine's, not kysely's migration records), parents before children. */
export async function registerTables(db: Kysely<Database>): Promise<TableInfo[]> {
  const tables = engineOf(db) === 'postgres' ? await postgresTables(db) : await sqliteTables(db);
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const parent of table.parents) {
      const info = byName.get(parent);
      if (info && parent !== table.name) visit(info, path);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => compareCodes(a.name, b.name))) visit(table, new Set());
  return ordered;
}

async function sqliteTables(db: Kysely<Database>): Promise<TableInfo[]> {
  // table_list tells the register's tables from virtual tables and their shadow tables (full-text indexes).
  const { rows } = await sql<{ name: string; type: string }>`select name, type from pragma_table_list where schema = 'main'`.execute(db);
  const names = rows.filter((row) => row.type === 'table' && !/^(sqlite_|kysely_)/.test(row.name)).map((row) => row.name);
  const tables: TableInfo[] = [];
  for (const name of names) {
    const columns = (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)).rows.map((row) => row.name);
    const parents = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)).rows.map((row) => row.table);
    tables.push({ name, columns, hasId: columns.includes('id'), parents });
  }
  return tables;
}

async function postgresTables(db: Kysely<Database>): Promise<TableInfo[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and c.relname not like 'kysely\\_%'`.execute(db);
  const tables: TableInfo[] = [];
  for (const { name } of rows) {
    const columns = (
      await sql<{ name: string }>`select attname as name from pg_attribute
        where attrelid = to_regclass(${name}) and attnum > 0 and not attisdropped order by attnum`.execute(db)
    ).rows.map((row) => row.name);
    const parents = (
      await sql<{ parent: string }>`select confrelid::regclass::text as parent from pg_constraint where contype = 'f' and conrelid = to_regclass(${name})`.execute(db)
    ).rows.map((row) => row.parent.replace(/^.*\./, '').replace(/^"|"$/g, ''));
    tables.push({ name, columns, hasId: columns.includes('id'), parents });
  }
  return tables;
}

/** How many rows each of the register's tables holds. */
export async function tableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await registerTables(db)) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(db);
    counts[table.name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** Runs `work` on one connection of `store` inside a read-only snapshot of the whole register. */
export async function inSnapshot<T>(store: Store, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (connection) => {
    await (store.engine === 'postgres'
      ? sql`begin transaction isolation level repeatable read read only`.execute(connection)
      : sql`begin`.execute(connection));
    return commitOrRollBack(connection, () => work(connection));
  });
}

/**
 * Copies every row of `source` (read in the caller's snapshot) into
 * `target` (inside the caller's write transaction), table by table in
 * dependency order. Returns the rows copied per table.
 */
export async function copyRows(source: Kysely<Database>, target: Kysely<Database>): Promise<Record<string, number>> {
  const sourceTables = new Map((await registerTables(source)).map((table) => [table.name, table]));
  const copied: Record<string, number> = {};
  for (const table of await registerTables(target)) {
    const from = sourceTables.get(table.name);
    if (!from) continue;
    const columns = table.columns.filter((column) => from.columns.includes(column));
    const reader = source as unknown as Kysely<any>;
    let count = 0;
    const write = async (rows: Array<Record<string, unknown>>) => {
      if (rows.length === 0) return;
      const values = rows.map((row) => Object.fromEntries(columns.map((column) => [column, toStored(row[column])])));
      await insertMany(target, table.name as keyof Database & string, values);
      count += rows.length;
    };
    if (table.hasId) {
      let after = -Infinity;
      for (;;) {
        let query = reader.selectFrom(table.name).select(columns).orderBy('id').limit(BATCH);
        if (after !== -Infinity) query = query.where('id', '>', after);
        const rows = (await query.execute()) as Array<Record<string, unknown>>;
        if (rows.length === 0) break;
        await write(rows);
        after = Number(rows.at(-1)!.id);
      }
    } else {
      await write((await reader.selectFrom(table.name).select(columns).execute()) as Array<Record<string, unknown>>);
    }
    copied[table.name] = count;
  }
  // SQLite's search index is no table of the register: built from the copied reports (their citizens were indexed as they came in).
  if (engineOf(target) === 'sqlite' && copied.reports) await indexAllReports(target);
  return copied;
}

/** A value as a column stores it on both engines: text, a number or null. */
function toStored(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return String(value);
}

/**
 * The whole register of `source` into `target`, which must hold no rows
 * (checked by the caller): one snapshot read, one write transaction.
 */
export async function copyRegister(source: Store, target: Store): Promise<Record<string, number>> {
  return inSnapshot(source, (reader) => writeTransaction(target.db, (writer) => copyRows(reader, writer)));
}

/**
 * After a bulk load into PostgreSQL: each table vacuumed and analysed, so
 * that the planner knows the new rows and index-only scans can skip the
 * table (its visibility map set). Tables this login does not own are left
 * to autovacuum.
 */
export async function settleAfterLoad(store: Store): Promise<void> {
  if (store.engine !== 'postgres') return;
  for (const table of await registerTables(store.db)) {
    const { rows } = await sql<{ owner: boolean }>`select pg_has_role(current_user, relowner, 'USAGE') as owner from pg_class where oid = to_regclass(${table.name})`.execute(store.db);
    if (rows[0]?.owner) await sql`vacuum (analyze) ${sql.table(table.name)}`.execute(store.db);
  }
}
