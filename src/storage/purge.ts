import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { PostgresStore, Store } from './store.js';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';

/**
 * Making erased data gone from the files, not only from the rows (GDPR
 * erasure, issue 10). SQLite leaves copies of what a row held in places no
 * query reaches: free space inside pages (cells moved by earlier page
 * splits), divider keys in the interior pages of indexes, pages freed before
 * secure_delete was on, and the frames of the write-ahead log. So:
 *
 * 1. the tables that held the data are rewritten whole, inside the erasing
 *    transaction: their rows copied aside, every row deleted (with
 *    secure_delete on, SQLite zeroes each freed cell and page, interior
 *    pages and index pages included) and inserted back into fresh pages;
 * 2. `deep` (texts redacted in reports): the whole file is rebuilt (VACUUM),
 *    since report texts sit in the largest table and its indexes;
 * 3. the log is checkpointed and truncated to zero bytes. Another process in
 *    the middle of a read can prevent that; the step is then recorded and
 *    finished by the next urp command that can (`finishPendingPurge`).
 */
export const PURGE_TASK = 'purge-wal';

/**
 * PostgreSQL (issue 13) never overwrites a row in place: an UPDATE writes a
 * new version and leaves the old one in the table's files as a dead tuple,
 * and both pass through the write-ahead log. So there, step 1 only records
 * which tables held erased values (in the erasing transaction), and after
 * the commit each is rewritten whole by VACUUM FULL: a new file holding the
 * live rows only, its indexes rebuilt, the old files removed. VACUUM needs
 * the tables' owner (the login that created the register); run by another
 * login, the step stays recorded and the owner's next urp command finishes
 * it. What stays elsewhere: the WAL segments until the server recycles them
 * after a checkpoint, and whatever WAL archives, replicas and backups keep.
 */
const VACUUM_TASK = 'purge-vacuum:';
const REDACTED_TABLES = ['reports', 'replies'];

/** Step 1, inside the caller's write transaction: rewrite these tables into fresh pages. */
export async function rewriteTables(trx: Kysely<Database>, tables: readonly string[]): Promise<void> {
  if (engineOf(trx) === 'postgres') {
    const now = new Date().toISOString();
    // The kept e-mail messages live in a table of their own there (message-files.ts).
    for (const table of tables.includes('inbound_messages') ? [...tables, 'inbound_message_files'] : tables) {
      await trx.insertInto('maintenance').values({ task: `${VACUUM_TASK}${table}`, requested_at: now }).onConflict((conflict) => conflict.column('task').doNothing()).execute();
    }
    return;
  }
  // Rows deleted and put back keep their ids: references are whole again at the commit.
  await sql`pragma defer_foreign_keys = ON`.execute(trx);
  const statistics = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name in ('sqlite_stat1', 'sqlite_stat4')`.execute(trx);
  for (const table of tables) {
    await sql`create temp table urp_purge as select * from main.${sql.table(table)}`.execute(trx);
    await sql`delete from main.${sql.table(table)}`.execute(trx);
    await sql`insert into main.${sql.table(table)} select * from temp.urp_purge`.execute(trx);
    await sql`drop table temp.urp_purge`.execute(trx);
  }
  // ANALYZE's samples of index keys (sqlite_stat4) may hold erased values: they go too (urp never needs them).
  for (const { name } of statistics.rows) await sql`delete from main.${sql.table(name)}`.execute(trx);
}

/**
 * Steps 2 and 3, after the erasing transaction committed. Returns true when
 * the log was truncated, false when another process prevented it (the step
 * is then left for the next command).
 */
export async function finishPurge(store: Store, { deep }: { deep: boolean }): Promise<boolean> {
  if (store.engine === 'postgres') {
    if (deep) {
      const now = new Date().toISOString();
      for (const table of REDACTED_TABLES) {
        await store.db.insertInto('maintenance').values({ task: `${VACUUM_TASK}${table}`, requested_at: now }).onConflict((conflict) => conflict.column('task').doNothing()).execute();
      }
    }
    return vacuumPending(store);
  }
  const { sqlite } = store;
  if (deep) sqlite.exec('vacuum');
  if (truncateLog(sqlite, ERASURE_WAIT_MS)) {
    sqlite.prepare('delete from maintenance where task = ?').run(PURGE_TASK);
    return true;
  }
  sqlite.prepare('insert or replace into maintenance (task, requested_at) values (?, ?)').run(PURGE_TASK, new Date().toISOString());
  return false;
}

/** What an erasure left for later, finished now if no other process is reading; true when nothing is left. */
export async function finishPendingPurge(store: Store): Promise<boolean> {
  if (store.readOnly || store.path === ':memory:') return true;
  if (store.engine === 'postgres') return vacuumPending(store);
  const { sqlite } = store;
  const pending = sqlite.prepare(`select 1 from maintenance where task = ?`).get(PURGE_TASK);
  if (!pending) return true;
  // Tried at the start of every command while pending: never a wait for the command that tries.
  if (!truncateLog(sqlite, 0)) return false;
  sqlite.prepare('delete from maintenance where task = ?').run(PURGE_TASK);
  return truncateLog(sqlite, 0);
}

/**
 * How long the erasing command waits for other processes' reads to end
 * before leaving the last step to the next command. A TRUNCATE checkpoint
 * waits for every reader with the busy handler: with the connection's own
 * timeout (30 s) an erasure would hang that long behind any long read.
 */
const ERASURE_WAIT_MS = 2_000;

/** Copies the log into the database and truncates it to zero bytes; false when a reader kept it from finishing. */
function truncateLog(sqlite: BetterSqlite3.Database, waitMs: number): boolean {
  if (sqlite.pragma('journal_mode', { simple: true }) !== 'wal') return true;
  const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${waitMs}`);
  try {
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    return result !== undefined && result.busy === 0 && result.log === 0;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** PostgreSQL: rewrites the tables an erasure recorded, when this login owns them; true when none is left. */
async function vacuumPending(store: PostgresStore): Promise<boolean> {
  const { db } = store;
  const pending = await db.selectFrom('maintenance').select('task').where('task', 'like', `${VACUUM_TASK}%`).execute();
  if (pending.length === 0) return true;
  let left = 0;
  for (const { task } of pending) {
    const table = task.slice(VACUUM_TASK.length);
    const { rows } = await sql<{ owner: boolean }>`select pg_has_role(current_user, c.relowner, 'USAGE') as owner
      from pg_class c where c.oid = to_regclass(${table})`.execute(db);
    if (!rows[0]?.owner) {
      left++;
      continue;
    }
    // Outside any transaction (VACUUM cannot run in one): the pool's connection is idle between statements.
    await sql`vacuum (full, analyze) ${sql.table(table)}`.execute(db);
    await db.deleteFrom('maintenance').where('task', '=', task).execute();
  }
  return left === 0;
}
