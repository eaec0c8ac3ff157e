import type { Compilable, Kysely } from 'kysely';
import { sqliteConnection } from './database.js';
import { SCAN_CACHE_KIB } from './page-cache.js';
import type { Database } from './schema.js';

/**
 * The rows of a query that reads a whole register (export, db check), a
 * batch at a time, never all at once: on SQLite straight from the prepared
 * statement (no promise per row, as kysely's stream has), with a small page
 * cache for the duration, since a scan of every page gains nothing from a
 * large one and the process's memory must not grow with the register.
 * Elsewhere (another engine, a transaction) through kysely's stream.
 *
 * Nothing else may run on the connection while a batch is read; between
 * batches the caller writes what it read (the file, the terminal).
 */
export async function* streamRows<Row>(db: Kysely<Database>, query: Compilable<Row>, batchSize = 1000): AsyncGenerator<Row[]> {
  const sqlite = sqliteConnection(db);
  if (!sqlite) {
    let batch: Row[] = [];
    for await (const row of (query as unknown as { stream(size: number): AsyncIterable<Row> }).stream(batchSize)) {
      batch.push(row);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const compiled = query.compile();
  const cache = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = ${Math.max(cache, -SCAN_CACHE_KIB)}`);
  const rows = sqlite.prepare(compiled.sql).iterate(...(compiled.parameters as unknown[])) as IterableIterator<Row>;
  try {
    for (;;) {
      const batch: Row[] = [];
      let next = rows.next();
      while (!next.done) {
        batch.push(next.value);
        if (batch.length === batchSize) break;
        next = rows.next();
      }
      if (batch.length > 0) yield batch;
      if (next.done) return;
    }
  } finally {
    rows.return?.();
    sqlite.pragma(`cache_size = ${cache}`);
  }
}
