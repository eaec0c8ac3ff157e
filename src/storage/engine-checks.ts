import { type Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { connect } from './database.js';
import type { Database } from './schema.js';

/**
 * The database engine's own checks (SQLite: integrity_check, then
 * foreign_key_check), in storage's terms: damaged pages as SQLite words
 * them, and rows whose parent is missing, by table and row id.
 */
export async function integrityProblems(db: Kysely<Database>): Promise<string[]> {
  const result = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return result.rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
}

export interface MissingParent {
  readonly table: string;
  readonly rowid: number;
  readonly parent: string;
}

export async function missingParents(db: Kysely<Database>): Promise<MissingParent[]> {
  const result = await sql<MissingParent>`pragma foreign_key_check`.execute(db);
  return result.rows;
}

/**
 * The integrity check of a file that cannot even be opened as a register
 * (damaged where urp reads first): a raw read-only connection, no schema
 * needed. Undefined when SQLite cannot read it at all.
 */
export function integrityOfFile(path: string): string[] | undefined {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = connect(path, { readonly: true, fileMustExist: true });
    const rows = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [message.split('\n')[0]!.slice(0, 200)];
  } finally {
    sqlite?.close();
  }
}
