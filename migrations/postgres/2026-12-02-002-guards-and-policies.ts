import { type Kysely, sql } from 'kysely';

/**
 * Row-level security that a login cannot talk its way around.
 *
 * - urp_full_access() and urp_my_areas(), which every policy calls, read
 *   the operators by name, and a session's temporary tables come first in
 *   its search path: an area login that made a temporary table called
 *   operators, naming itself admin, saw and changed every report. Both now
 *   run with the register's schema first and pg_temp last.
 * - A message an area login queues (its replies to the citizen) must go to
 *   that report's citizen, at their e-mail or PEC address or at none: an
 *   area login could otherwise queue any text to any address, which the
 *   next `urp mail send` would deliver from the office's mailbox.
 *
 * (INSERT OR REPLACE, which SQLite's version of this migration guards
 * against, does not exist here: ON CONFLICT DO UPDATE fires the UPDATE guard.)
 *
 * Frozen in time: imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`do $$ begin
    execute format('alter function urp_full_access() set search_path = %I, pg_temp', current_schema());
    execute format('alter function urp_my_areas() set search_path = %I, pg_temp', current_schema());
  end $$`.execute(db);
  await sql`create policy outbox_area_messages on outbox as restrictive for insert
    with check ((select urp_full_access()) or (kind = 'reply' and recipient = 'citizen' and exists (
      select 1 from reports r join citizens c on c.id = r.citizen_id
      where r.id = outbox.report_id and c.id = outbox.citizen_id and (outbox.to_address is null or outbox.to_address in (c.email, c.pec)))))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop policy outbox_area_messages on outbox`.execute(db);
  await sql`alter function urp_full_access() reset search_path`.execute(db);
  await sql`alter function urp_my_areas() reset search_path`.execute(db);
}
