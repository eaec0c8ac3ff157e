import { type RawBuilder, sql } from 'kysely';
import type { Status } from './vocabulary.js';

/**
 * Which reports are open, which wait in a queue, and which are late (SPEC
 * section 4): one definition, for JavaScript and for SQL alike.
 *
 * The SQL is written with literal statuses, exactly as the partial indexes
 * of the initial schema write their WHERE clauses (same statuses, same
 * order): SQLite uses a partial index only when the query repeats its
 * predicate, and never when the statuses are bound as parameters. A test
 * (tests/unit/report-state.test.ts) reads the index definitions from the
 * schema and checks that these fragments match them letter for letter.
 */

/** Registered, not yet assigned: URP's to-assign pile (index reports_open_assign_due). */
export const UNASSIGNED_STATUS = 'registered' satisfies Status;
/** Open: the reply clock runs, or is stopped for suspended (index reports_open_reply_due). */
export const OPEN_STATUSES = ['registered', 'assigned', 'acknowledged', 'suspended'] as const satisfies readonly Status[];
/** The status in which the reply clock is stopped. */
export const CLOCK_STOPPED_STATUS = 'suspended' satisfies (typeof OPEN_STATUSES)[number];
/** Open with the reply clock running: those that can be late to reply. */
export const REPLY_CLOCK_STATUSES = OPEN_STATUSES.filter((status) => status !== CLOCK_STOPPED_STATUS) as ReadonlyArray<Exclude<(typeof OPEN_STATUSES)[number], 'suspended'>>;
/** In somebody's queue: open, or answered and waiting for URP to close it (index reports_open_area). */
export const QUEUED_STATUSES = [...OPEN_STATUSES, 'answered'] as const satisfies readonly Status[];

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** Late to assign: still registered after the assignment deadline. */
export function isLateToAssign(status: string, assignDueAt: string, asOf: string): boolean {
  return status === UNASSIGNED_STATUS && asOf > assignDueAt;
}

/**
 * Late to reply: not yet answered, closed or rejected after the reply
 * deadline; never while suspended, when the clock is stopped.
 */
export function isLateToReply(status: string, replyDueAt: string, asOf: string): boolean {
  return (REPLY_CLOCK_STATUSES as readonly string[]).includes(status) && asOf > replyDueAt;
}

/** The table (or alias) whose columns a fragment reads: `reports` or `r`. */
export type ReportsTable = 'reports' | 'r';

const quoted = (statuses: readonly string[]) => statuses.map((status) => `'${status}'`).join(', ');
const column = (table: ReportsTable | undefined, name: string) => sql.raw(table ? `${table}.${name}` : name);

/** `status = 'registered'`, as reports_open_assign_due writes it. */
export function unassignedSql(table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`${column(table, 'status')} = ${sql.raw(`'${UNASSIGNED_STATUS}'`)}`;
}

/** `status in ('registered', 'assigned', 'acknowledged', 'suspended')`, as reports_open_reply_due writes it. */
export function openSql(table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`${column(table, 'status')} in (${sql.raw(quoted(OPEN_STATUSES))})`;
}

/** Open or answered, as reports_open_area writes it. */
export function queuedSql(table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`${column(table, 'status')} in (${sql.raw(quoted(QUEUED_STATUSES))})`;
}

/** Open with the clock running: the open predicate (so the partial index applies) and not suspended. */
export function replyClockSql(table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`${openSql(table)} and ${column(table, 'status')} <> ${sql.raw(`'${CLOCK_STOPPED_STATUS}'`)}`;
}

/** isLateToAssign in SQL, as of `asOf` (ISO text). */
export function lateToAssignSql(asOf: string, table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`(${unassignedSql(table)} and ${column(table, 'assign_due_at')} < ${asOf})`;
}

/** isLateToReply in SQL, as of `asOf` (ISO text). */
export function lateToReplySql(asOf: string, table?: ReportsTable): RawBuilder<boolean> {
  return sql<boolean>`(${replyClockSql(table)} and ${column(table, 'reply_due_at')} < ${asOf})`;
}
