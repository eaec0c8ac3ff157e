import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** Migrations applied, as kysely records them (0: no urp schema in this database yet). */
export async function postgresSchemaVersion(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!rows[0]?.present) return 0;
  const counted = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db);
  return Number(counted.rows[0]?.n ?? 0);
}
