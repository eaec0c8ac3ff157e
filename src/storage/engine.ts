import { type Kysely, PostgresAdapter } from 'kysely';

/** The engines urp runs on: SQLite, the embedded default, and PostgreSQL for a shared register (issue 13). */
export type Engine = 'sqlite' | 'postgres';

/**
 * Which engine a query builder speaks to, for the few statements storage
 * must write differently (a transaction's lock, an engine's own checks).
 * Transactions and single connections share their parent's adapter.
 */
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
