import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** An open register: kysely for queries, and what storage itself needs of the engine. */
export interface Store {
  readonly db: Kysely<Database>;
  /** The underlying connection, for pragmas, backups and prepared bulk statements. */
  readonly sqlite: BetterSqlite3.Database;
  readonly path: string;
  /** Opened read-only: a read-only file, folder or medium (reading commands only). */
  readonly readOnly: boolean;
  close(): Promise<void>;
}

/** The schema version recorded by the last migration (0 for a new file). */
export function schemaVersion(sqlite: BetterSqlite3.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}
