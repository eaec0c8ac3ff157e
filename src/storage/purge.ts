import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { PostgresStore, Store } from './store.js';
import { engineOf } from './engine.js';
import { LOCK_NOT_AVAILABLE } from './storage-error.js';
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
      await recordVacuum(trx, table, now);
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
 * What is left of an erasure's last step: nothing; a wait for other
 * sessions' reads that began before it (the log on SQLite, the rewrite on
 * PostgreSQL); or, on PostgreSQL, the login that owns the tables.
 */
export type PurgeOutcome = 'done' | 'readers' | 'owner';

/**
 * Steps 2 and 3, after the erasing transaction committed: 'done', or what
 * prevented the last step (then left for the next command).
 */
export async function finishPurge(store: Store, { deep }: { deep: boolean }): Promise<PurgeOutcome> {
  if (store.engine === 'postgres') {
    if (deep) {
      const now = new Date().toISOString();
      for (const table of REDACTED_TABLES) await recordVacuum(store.db, table, now);
    }
    return vacuumPending(store, ERASURE_WAIT_MS);
  }
  const { sqlite } = store;
  if (deep) sqlite.exec('vacuum');
  if (truncateLog(sqlite, ERASURE_WAIT_MS)) {
    sqlite.prepare('delete from maintenance where task = ?').run(PURGE_TASK);
    return 'done';
  }
  sqlite.prepare('insert or replace into maintenance (task, requested_at) values (?, ?)').run(PURGE_TASK, new Date().toISOString());
  return 'readers';
}

/** What an erasure left for later, finished now if no other process is reading; true when nothing is left. */
export async function finishPendingPurge(store: Store): Promise<boolean> {
  if (store.readOnly || store.path === ':memory:') return true;
  if (store.engine === 'postgres') return (await vacuumPending(store, 0)) === 'done';
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

/**
 * PostgreSQL: a table to rewrite, recorded by the erasing transaction. The
 * row is written again when already there, so that its xmin is the latest
 * erasure's transaction (what olderSnapshots compares with).
 */
async function recordVacuum(db: Kysely<Database>, table: string, now: string): Promise<void> {
  await db
    .insertInto('maintenance')
    .values({ task: `${VACUUM_TASK}${table}`, requested_at: now })
    .onConflict((conflict) => conflict.column('task').doUpdateSet({ requested_at: now }))
    .execute();
}

/**
 * PostgreSQL: rewrites the tables an erasure recorded, when this login owns
 * them and no other session may still see the erased rows; 'done' when none
 * is left. VACUUM FULL copies every row version a snapshot still open in
 * the database may see (a transaction begun before the erasure committed,
 * in any session: a long export, psql left open, ANALYZE): rewritten then,
 * the new files would hold the erased values again. Such sessions are
 * waited for up to waitMs; if they are still there, the step stays
 * recorded for the next command.
 */
async function vacuumPending(store: PostgresStore, waitMs: number): Promise<PurgeOutcome> {
  const { db } = store;
  const pending = await db.selectFrom('maintenance').select('task').where('task', 'like', `${VACUUM_TASK}%`).execute();
  if (pending.length === 0) return 'done';
  let outcome: PurgeOutcome = 'done';
  // One wait for the whole erasure, not one per table.
  const deadline = performance.now() + waitMs;
  const waitLeft = () => Math.max(0, deadline - performance.now());
  for (const { task } of pending) {
    const table = task.slice(VACUUM_TASK.length);
    const { rows } = await sql<{ owner: boolean }>`select pg_has_role(current_user, c.relowner, 'USAGE') as owner
      from pg_class c where c.oid = to_regclass(${table})`.execute(db);
    if (!rows[0]?.owner) {
      outcome = 'owner';
      continue;
    }
    if (await olderSnapshots(db, task, waitLeft())) {
      if (outcome === 'done') outcome = 'readers';
      continue;
    }
    if (!(await vacuumFull(db, table, waitLeft()))) {
      if (outcome === 'done') outcome = 'readers';
      continue;
    }
    await db.deleteFrom('maintenance').where('task', '=', task).execute();
  }
  return outcome;
}

/**
 * VACUUM FULL of a table, outside any transaction (it cannot run in one);
 * false when another session's lock on the table kept it waiting longer than
 * waitMs (at least 50 ms). Its exclusive lock is asked for with that short
 * timeout, not the connection's 30 s: while it waits, every other session's
 * read of the table queues behind it, and clerks would wait for an erasure.
 */
async function vacuumFull(db: Kysely<Database>, table: string, waitMs: number): Promise<boolean> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ timeout: string }>`select current_setting('lock_timeout') as timeout`.execute(connection);
    await sql`select set_config('lock_timeout', ${`${Math.max(waitMs, 50)}ms`}, false)`.execute(connection);
    try {
      await sql`vacuum (full, analyze) ${sql.table(table)}`.execute(connection);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
      throw error;
    } finally {
      await sql`select set_config('lock_timeout', ${rows[0]!.timeout}, false)`.execute(connection);
    }
  });
}

/**
 * Whether a row version the erasure recorded in `task` replaced may still
 * be visible to a snapshot: another session of this database (or a
 * prepared transaction, or a replication slot) whose oldest transaction or
 * snapshot is not newer than the erasing transaction (the xmin of the
 * task's row). Asked again every 100 ms for up to waitMs.
 */
async function olderSnapshots(db: Kysely<Database>, task: string, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const { rows } = await sql<{ older: boolean }>`select exists (
        select 1 from maintenance m, (
          select backend_xmin as xid from pg_stat_activity
            where pid <> pg_backend_pid() and (datname = current_database() or datname is null)
          union all select backend_xid from pg_stat_activity
            where pid <> pg_backend_pid() and (datname = current_database() or datname is null)
          union all select transaction from pg_prepared_xacts where database = current_database()
          union all select xmin from pg_replication_slots
          union all select catalog_xmin from pg_replication_slots where database = current_database()
        ) held
        where m.task = ${task} and held.xid is not null and age(held.xid) >= age(m.xmin)
      ) as older`.execute(db);
    if (!rows[0]?.older) return false;
    if (performance.now() >= deadline) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
