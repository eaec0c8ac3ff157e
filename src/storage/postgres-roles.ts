import { type Kysely, sql } from 'kysely';
import type { PostgresStore } from './store.js';
import type { Database } from './schema.js';
import { WRITE_LOCK_KEY } from './transactions.js';

/**
 * The database roles of a register on PostgreSQL (issue 13). Each clerk
 * connects with a login of their own; `urp db grant` makes it a member of
 * one of three group roles of this register, which hold the privileges:
 *
 * - `urp_<database>_admin`: everything on every table (the tables' owner,
 *   the login that created the register, has that already);
 * - `urp_<database>_urp`: read and write every table but those only an
 *   admin changes (areas, categories, operators, settings, templates:
 *   urp's `manage` permission), which it reads; the append-only guards
 *   still refuse changes to events and the audit log;
 * - `urp_<database>_area`: read the register's reference tables (areas,
 *   categories, settings, operators, templates); read reports and change
 *   only the columns an area's actions change (AREA_REPORT_COLUMNS: never
 *   a report's number, citizen, receipt or texts); read and append events,
 *   replies and messages, read citizens, append to the audit log. Which
 *   rows, row-level security decides (the policies of migrations/postgres/
 *   2026-12-01-001 and 2026-12-02-002): those of the login's own areas.
 *
 * Group roles are named after the database, because logins and roles
 * belong to the whole server, where several registers may live.
 */
export type LoginRole = 'admin' | 'urp' | 'area';
const LOGIN_ROLES: readonly LoginRole[] = ['admin', 'urp', 'area'];

export function groupRole(database: string, role: LoginRole): string {
  // At most 63 bytes, the server's limit for a name.
  return `urp_${database.slice(0, 48)}_${role}`;
}

/** The migrations' transaction: the write lock first, so two processes opening a new register do not race. */
export async function beginMigration(connection: Kysely<Database>): Promise<void> {
  await sql`begin`.execute(connection);
  await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(connection);
}

const REFERENCE_TABLES = ['areas', 'categories', 'settings', 'operators', 'operator_areas', 'reply_templates', 'message_templates', 'maintenance', 'report_sequences', 'kysely_migration', 'kysely_migration_lock'];
/** What only an admin changes (the `manage` permission, src/domain/operators.ts): a URP clerk's login reads it. */
const ADMIN_TABLES = ['areas', 'categories', 'operators', 'operator_areas', 'settings', 'reply_templates', 'message_templates'];
/**
 * The columns of a report that an area's actions change (acknowledge,
 * return, suspend, resume, reply: src/domain/report-workflow.ts). Its
 * number, citizen, receipt and texts it may not: with the citizen's id
 * changeable, an area login could point its own report at any citizen and
 * read them through the citizens' policy.
 */
const AREA_REPORT_COLUMNS = [
  'status', 'updated_at', 'area_id', 'assigned_at', 'assign_counted_from', 'assign_due_at', 'acknowledged_at',
  'suspended_at', 'suspension_count', 'suspended_days', 'reply_due_at', 'answered_at', 'first_answered_at', 'first_reply_due_at', 'outcome',
];
const AREA_PRIVILEGES: Record<string, string> = {
  reports: 'select',
  report_events: 'select, insert',
  replies: 'select, insert',
  outbox: 'select, insert',
  inbound_messages: 'select',
  citizens: 'select',
  audit_events: 'insert',
};

/** Gives the group roles that exist their privileges on every table there is now (after a migration too). */
export async function applyGroupGrants(db: Kysely<Database>, database: string): Promise<void> {
  const existing = new Set(
    (await sql<{ name: string }>`select rolname as name from pg_roles where rolname in (${sql.join(LOGIN_ROLES.map((role) => groupRole(database, role)))})`.execute(db)).rows.map(
      (row) => row.name,
    ),
  );
  const tables = new Set(
    (await sql<{ name: string }>`select relname as name from pg_class where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p')`.execute(db)).rows.map((row) => row.name),
  );
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schemaName = sql.id(rows[0]!.schema);
  for (const role of LOGIN_ROLES) {
    const group = groupRole(database, role);
    if (!existing.has(group)) continue;
    const to = sql.id(group);
    await sql`grant usage on schema ${schemaName} to ${to}`.execute(db);
    await sql`grant usage, select on all sequences in schema ${schemaName} to ${to}`.execute(db);
    if (role === 'admin') {
      await sql`grant all privileges on all tables in schema ${schemaName} to ${to}`.execute(db);
      await sql`grant all privileges on all sequences in schema ${schemaName} to ${to}`.execute(db);
    } else if (role === 'urp') {
      await sql`grant select, insert, update, delete on all tables in schema ${schemaName} to ${to}`.execute(db);
      for (const table of ADMIN_TABLES.filter((name) => tables.has(name))) await sql`revoke insert, update, delete, truncate on ${sql.table(table)} from ${to}`.execute(db);
      // setval: the writer of new reports gives ids itself and moves the sequences past them.
      await sql`grant update on all sequences in schema ${schemaName} to ${to}`.execute(db);
    } else {
      for (const table of REFERENCE_TABLES.filter((name) => tables.has(name))) await sql`grant select on ${sql.table(table)} to ${to}`.execute(db);
      for (const [table, privileges] of Object.entries(AREA_PRIVILEGES)) {
        if (tables.has(table)) await sql`grant ${sql.raw(privileges)} on ${sql.table(table)} to ${to}`.execute(db);
      }
      // A table's UPDATE covers every column: taken back (a register granted before), the columns given one by one.
      await sql`revoke update on reports from ${to}`.execute(db);
      await sql`grant update (${sql.join(AREA_REPORT_COLUMNS.map((column) => sql.ref(column)))}) on reports to ${to}`.execute(db);
    }
  }
}

/** After a migration: new tables get the group roles' privileges. */
export async function refreshGrants(store: PostgresStore): Promise<void> {
  await applyGroupGrants(store.db, store.databaseName);
}

export interface LoginGrant {
  readonly login: string;
  readonly role: LoginRole;
  /** The login did not exist and was created (without a password: the server's administrator gives it one). */
  readonly created: boolean;
}

/**
 * Makes `login` (created when missing, able to log in) a member of this
 * register's group role for `role`, and of no other. Admins may grant the
 * roles in turn (CREATEROLE, and the groups with their admin option); a
 * login that is no admin loses both. Inside the caller's write transaction:
 * the operator row bound to the login is written with it.
 */
export async function grantLogin(db: Kysely<Database>, database: string, login: string, role: LoginRole): Promise<LoginGrant> {
  for (const each of LOGIN_ROLES) {
    const group = groupRole(database, each);
    const exists = await sql<{ n: number }>`select count(*) as n from pg_roles where rolname = ${group}`.execute(db);
    if (Number(exists.rows[0]?.n) === 0) await sql`create role ${sql.id(group)} nologin`.execute(db);
  }
  await applyGroupGrants(db, database);
  const found = await sql<{ superuser: boolean }>`select rolsuper as superuser from pg_roles where rolname = ${login}`.execute(db);
  const created = found.rows.length === 0;
  if (created) await sql`create role ${sql.id(login)} login`.execute(db);
  const superuser = found.rows[0]?.superuser === true;
  const self = (await sql<{ me: string }>`select current_user as me`.execute(db)).rows[0]?.me === login;
  if (!superuser && !self) await sql`alter role ${sql.id(login)} with login ${sql.raw(role === 'admin' ? 'createrole' : 'nocreaterole')}`.execute(db);
  for (const each of LOGIN_ROLES) {
    const group = sql.id(groupRole(database, each));
    const member = await sql<{ member: boolean }>`select pg_has_role(${login}, ${groupRole(database, each)}, 'member') as member`.execute(db);
    // The login's own membership only (a superuser is "member" of everything).
    const direct = await sql<{ n: number }>`select count(*) as n from pg_auth_members m
      join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member where g.rolname = ${groupRole(database, each)} and u.rolname = ${login}`.execute(db);
    const wanted = role === 'admin' || each === role;
    if (wanted) await sql`grant ${group} to ${sql.id(login)} ${sql.raw(role === 'admin' ? 'with admin option' : '')}`.execute(db);
    else if (member.rows[0]?.member && Number(direct.rows[0]?.n) > 0) await sql`revoke ${group} from ${sql.id(login)}`.execute(db);
  }
  return { login, role, created };
}
