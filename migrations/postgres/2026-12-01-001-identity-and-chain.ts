import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

/**
 * PostgreSQL's version of migrations/2026-12-01-001-identity-and-chain.ts:
 * operators bound to an account (on PostgreSQL, the database login), events
 * and audit events with `entered_by` and their chain hash (the same
 * canonical encoding, version 1), the hash required by a trigger, the
 * maintenance table. Beyond SQLite (issue 13):
 *
 * - row-level security: an area operator's login reads and changes only
 *   the reports of its own areas, their events and replies, and the
 *   citizens who made them, whatever program it connects with (psql
 *   included); admin and urp logins see everything. Who is who is read from
 *   the operators table, by `current_user`. The owner of the tables (the
 *   login that created the register) is not subject to the policies.
 *   Logins get their privileges from `urp db grant`, not from here;
 * - the heads of the two chains, read by a function that sees every row:
 *   an area login appends to the one chain of the whole register without
 *   being able to read the events of other areas.
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table operators add column os_user text collate "C"`.execute(db);
  await sql`update operators set os_user = name`.execute(db);
  await sql`create unique index operators_os_user on operators (os_user)`.execute(db);

  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`alter table ${table} add column entered_by text collate "C"`).execute(db);
    await sql.raw(`alter table ${table} add column hash text collate "C"`).execute(db);
  }
  // The guards refuse updates: lifted while existing events are chained.
  await sql`alter table report_events disable trigger report_events_no_update`.execute(db);
  await sql`alter table audit_events disable trigger audit_events_no_update`.execute(db);
  await chain(db, 'report_events', (row) => [
    Number(row.report_id), row.kind, row.from_status, row.to_status, row.area_id == null ? null : Number(row.area_id), row.text,
    row.operator, row.entered_by, row.occurred_at, row.recorded_at, row.source,
  ]);
  await chain(db, 'audit_events', (row) => [row.kind, row.subject, row.text, row.operator, row.entered_by, row.occurred_at]);
  await sql`alter table report_events enable trigger report_events_no_update`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_no_update`.execute(db);

  await sql`create function urp_hash_required() returns trigger language plpgsql as $$
    begin
      raise exception '% rows carry their chain hash', tg_table_name using errcode = 'not_null_violation';
    end
  $$`.execute(db);
  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`create trigger ${table}_hash_required before insert on ${table} for each row
      when (new.hash is null or length(new.hash) <> 64) execute function urp_hash_required()`).execute(db);
  }

  await sql`create table maintenance (
    task text collate "C" primary key,
    requested_at text collate "C" not null
  )`.execute(db);

  // Who the connected login is to the register.
  await sql`create function urp_full_access() returns boolean language sql stable as $$
    select exists (select 1 from operators o where o.os_user = current_user and o.active = 1 and o.role in ('admin', 'urp'))
  $$`.execute(db);
  // The areas of an area operator's login (empty for anyone else). Both depend on no row: the
  // policies call them as `(select ...)`, which the server computes once per statement, not per row.
  await sql`create function urp_my_areas() returns integer[] language sql stable as $$
    select coalesce(array_agg(a.area_id), '{}') from operators o join operator_areas a on a.operator_id = o.id
    where o.os_user = current_user and o.active = 1 and o.role = 'area'
  $$`.execute(db);

  // The area that returned a report to URP, while that return is its last move (null otherwise):
  // read as the owner, since the area's own view of the events is what is being decided.
  await sql`create function urp_returned_by(report integer) returns integer language sql stable security definer as $$
    select last.area_id from (
      select e.kind, e.area_id from report_events e where e.report_id = report and e.to_status is not null order by e.id desc limit 1
    ) last where last.kind = 'returned'
  $$`.execute(db);
  await sql`do $$ begin
    execute format('alter function urp_returned_by(integer) set search_path = %I, pg_temp', current_schema());
  end $$`.execute(db);
  // Reports: an area sees its own, and one it returned to URP until URP assigns it again (the
  // return clears the report's area, and the changed row must stay in sight of who changed it).
  await sql`alter table reports enable row level security`.execute(db);
  await sql`create policy reports_by_area on reports
    using ((select urp_full_access()) or area_id = any ((select urp_my_areas())::integer[]) or (area_id is null and urp_returned_by(id) = any ((select urp_my_areas())::integer[])))`.execute(db);
  // Events and replies: those of the reports one sees (subqueries are themselves under the policies).
  for (const table of ['report_events', 'replies']) {
    await sql.raw(`alter table ${table} enable row level security`).execute(db);
    await sql.raw(`create policy ${table}_by_report on ${table}
      using ((select urp_full_access()) or exists (select 1 from reports r where r.id = report_id))`).execute(db);
  }
  // Citizens: those who made a report one sees.
  await sql`alter table citizens enable row level security`.execute(db);
  await sql`create policy citizens_by_report on citizens
    using ((select urp_full_access()) or exists (select 1 from reports r where r.citizen_id = citizens.id))`.execute(db);
  // The audit log: everyone appends (a letter, a read of personal data); only admin and urp read it.
  await sql`alter table audit_events enable row level security`.execute(db);
  await sql`create policy audit_events_read on audit_events for select using ((select urp_full_access()))`.execute(db);
  await sql`create policy audit_events_append on audit_events for insert with check (true)`.execute(db);

  // The heads of the chains and their lengths, whoever asks (an area login sees only part of each chain).
  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`create function urp_${table}_head() returns text language sql stable security definer as $$
      select coalesce((select hash from ${table} order by id desc limit 1), '')
    $$`).execute(db);
    await sql.raw(`create function urp_${table}_length() returns bigint language sql stable security definer as $$
      select count(*) from ${table}
    $$`).execute(db);
  }
  // A function that runs as its owner looks tables up in this schema only, never in one a caller controls.
  await sql`do $$ begin
    execute format('alter function urp_report_events_head() set search_path = %I, pg_temp', current_schema());
    execute format('alter function urp_audit_events_head() set search_path = %I, pg_temp', current_schema());
    execute format('alter function urp_report_events_length() set search_path = %I, pg_temp', current_schema());
    execute format('alter function urp_audit_events_length() set search_path = %I, pg_temp', current_schema());
  end $$`.execute(db);
}

/** Chains a table's rows in id order, a batch at a time. */
async function chain(db: Kysely<any>, table: string, fields: (row: Record<string, unknown>) => unknown[]): Promise<void> {
  let previous = '';
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(5000).execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      previous = createHash('sha256').update(previous).update(JSON.stringify(fields(row))).digest('hex');
      await db.updateTable(table).set({ hash: previous }).where('id', '=', row.id).execute();
      after = Number(row.id);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['report_events', 'audit_events']) {
    await sql.raw(`drop function urp_${table}_head()`).execute(db);
    await sql.raw(`drop function urp_${table}_length()`).execute(db);
    await sql.raw(`drop trigger ${table}_hash_required on ${table}`).execute(db);
  }
  await sql`drop policy audit_events_append on audit_events`.execute(db);
  await sql`drop policy audit_events_read on audit_events`.execute(db);
  await sql`drop policy citizens_by_report on citizens`.execute(db);
  await sql`drop policy replies_by_report on replies`.execute(db);
  await sql`drop policy report_events_by_report on report_events`.execute(db);
  await sql`drop policy reports_by_area on reports`.execute(db);
  for (const table of ['reports', 'report_events', 'replies', 'citizens', 'audit_events']) await sql.raw(`alter table ${table} disable row level security`).execute(db);
  await sql`drop function urp_returned_by(integer)`.execute(db);
  await sql`drop function urp_my_areas()`.execute(db);
  await sql`drop function urp_full_access()`.execute(db);
  await sql`drop function urp_hash_required()`.execute(db);
  await db.schema.dropTable('maintenance').execute();
  await sql`drop index operators_os_user`.execute(db);
}
