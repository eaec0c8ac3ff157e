import type { CompiledQuery } from 'kysely';
import type { Store } from './store.js';

/**
 * Reads one column of many rows (`select x as v ...`). On SQLite, through
 * better-sqlite3's pluck: a plain array of values rather than a hundred
 * thousand objects (a year of statistics). Elsewhere (PostgreSQL), kysely's rows.
 */
export type ColumnReader = (query: { compile(): CompiledQuery; execute(): Promise<Array<{ v: unknown }>> }) => Promise<unknown[]>;

export function columnReader(store: Store): ColumnReader {
  if (store.engine !== 'sqlite') return rowsColumnReader;
  const { sqlite } = store;
  return async (query) => {
    const compiled = query.compile();
    return sqlite.prepare(compiled.sql).pluck().all(...compiled.parameters);
  };
}

/** The engine-neutral reader: kysely's rows. */
export const rowsColumnReader: ColumnReader = async (query) => (await query.execute()).map((row) => row.v);
