import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The file of a SQLite register (undefined in memory): what urp keeps beside it is named after it. */
export async function registerFile(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  return rows.find((row) => row.name === 'main')?.file || undefined;
}
