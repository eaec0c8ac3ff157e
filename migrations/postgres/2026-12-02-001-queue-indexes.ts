import { type Kysely, sql } from 'kysely';

/**
 * The queue's piles ranked from an index alone on PostgreSQL (issue 13: the
 * queue on 1,000,000 reports took 1.8 times as long as on 1,000). The
 * rankings of src/domain/queues.ts read each report's id, which SQLite's
 * partial indexes hold (the rowid) and PostgreSQL's do not: the server read
 * every answered report's row (12,640 pages for 13,951 reports) to rank
 * the pile of those to close, and the open ones' rows for the areas' piles.
 *
 * - reports_answered_by_id: the answered reports, in the order URP closes
 *   them (oldest registered first), with their area;
 * - reports_open_by_area: the open reports by area and status, with the
 *   reply deadline and number they are ranked by. Its predicate is the open
 *   statuses, as the queue's query writes them (report-state.ts openSql), so
 *   that the server knows the index holds every report the query asks for.
 *
 * Frozen in time: imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index reports_answered_by_id on reports (id) include (area_id) where status = 'answered'`.execute(db);
  await sql`create index reports_open_by_area on reports (area_id, status, reply_due_at, number, id)
    where status in ('registered', 'assigned', 'acknowledged', 'suspended')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index reports_open_by_area`.execute(db);
  await sql`drop index reports_answered_by_id`.execute(db);
}
