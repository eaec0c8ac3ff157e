import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { type ReportTextSearch, matchDay, matchKey, matchesFromDay, reportMatchQuery, reportMatches, reportTextArms, reportTextCondition, searchesThroughIndex, withNamedCitizens, NEWEST_FIRST_LOOK } from '../storage/text-search.js';
import type { Database } from '../storage/schema.js';
import { InputError } from './errors.js';
import { type OutboxMessage, reportMessages } from './mail/outbox.js';
import { type Reply, type TimelineEvent, replies, timeline } from './report-events.js';
import { parseReportNumber } from './report-numbers.js';
import { type Report, type ReportSource, toReport } from './reports.js';
import { lateToAssignSql, lateToReplySql } from './report-state.js';
import type { Channel, ReportType, Status } from './vocabulary.js';

type ReportQuery = SelectQueryBuilder<
  Database & { a: Database['areas']; c: Database['categories'] },
  'reports' | 'citizens' | 'a' | 'c',
  ReportSource & { id: number; area_id: number | null }
>;

/** A report with its row id and area id, for the code that acts on it (never printed). */
export type StoredReport = Report & { readonly id: number; readonly areaId: number | null };

/** The report as printed (--json): without the row ids. */
export function publicReport({ id: _id, areaId: _areaId, ...report }: StoredReport): Report {
  return report;
}

/**
 * Reports joined with what a Report shows: area and category codes, the
 * citizen's name. With filters holding a text search the index answers,
 * the query starts from the index's matches (applyReportFilters then adds
 * the other filters): pass the same filters to both.
 */
export function reportQuery(db: Kysely<Database>, filters?: ReportFilters): ReportQuery {
  const index = indexedSearch(db, filters);
  const from = index === undefined ? db.selectFrom('reports') : (reportMatches(db, index) as unknown as ReturnType<typeof db.selectFrom<'reports'>>);
  return from
    .innerJoin('citizens', 'citizens.id', 'reports.citizen_id')
    .leftJoin('areas as a', 'a.id', 'reports.area_id')
    .leftJoin('categories as c', 'c.id', 'reports.category_id')
    .select([
      'reports.id',
      'reports.area_id',
      'reports.number',
      'reports.type',
      'reports.channel',
      'reports.status',
      'reports.subject',
      'reports.description',
      'reports.location',
      'c.code as category_code',
      'a.code as area_code',
      'reports.citizen_id',
      'citizens.first_name as citizen_first_name',
      'citizens.last_name as citizen_last_name',
      'reports.received_at',
      'reports.registered_at',
      'reports.assign_due_at',
      'reports.reply_due_at',
      'reports.assigned_at',
      'reports.acknowledged_at',
      'reports.suspended_at',
      'reports.suspended_days',
      'reports.answered_at',
      'reports.first_answered_at',
      'reports.first_reply_due_at',
      'reports.closed_at',
      'reports.rejected_at',
      'reports.outcome',
      'reports.external_ref',
      'reports.reopen_count',
    ]) as unknown as ReportQuery;
}

/**
 * The report with this number, or an InputError (exit 2) when there is none.
 * `currentYear`: the year of a number typed without one (`301`).
 */
export async function getReport(db: Kysely<Database>, numberText: string, asOf: Date, currentYear?: number): Promise<StoredReport> {
  const { number } = parseReportNumber(numberText, 'number', currentYear);
  const row = await reportQuery(db).where('reports.number', '=', number).executeTakeFirst();
  if (!row) throw new InputError('report.unknown', { number }, 'number');
  return { ...toReport(row, asOf), id: row.id, areaId: row.area_id };
}

export interface ReportFilters {
  readonly status?: readonly Status[] | undefined;
  /** Only these areas' reports (an --area, or an area operator's own areas). */
  readonly areaIds?: readonly number[] | undefined;
  readonly type?: ReportType | undefined;
  readonly channel?: Channel | undefined;
  readonly categoryId?: number | undefined;
  readonly citizenId?: number | undefined;
  /** Received at or after. */
  readonly from?: Date | undefined;
  /** Received at or before. */
  readonly to?: Date | undefined;
  /** Text to look for: part of the subject, description or place, the citizen's name, a number or a reference. */
  readonly search?: string | undefined;
  /** The year of a number searched for without one (`301` for 2026/000301): the current year. */
  readonly searchYear?: number | undefined;
  /** Only reports late to assign or late to reply as of `asOf`. */
  readonly late?: boolean | undefined;
  readonly limit?: number | undefined;
}

/** The search as the index takes it: the text, and the numbers it may stand for. */
function textSearch(filters: ReportFilters | undefined): ReportTextSearch | undefined {
  if (!filters?.search) return undefined;
  const numbers: string[] = [];
  try {
    numbers.push(parseReportNumber(filters.search, 'search', filters.searchYear).number);
  } catch {
    // Not a number: a text.
  }
  return { text: filters.search, numbers };
}

/** The FTS5 index's query for the filters' search, or undefined (no search, one the index cannot answer, or no such index: PostgreSQL). */
function indexedSearch(db: Kysely<Database>, filters: ReportFilters | undefined): string | undefined {
  const search = textSearch(filters);
  return search && searchesThroughIndex(db) ? reportMatchQuery(search) : undefined;
}

/** Applies list filters to a query of reportQuery(db, filters) (shared by list and export). */
export function applyReportFilters<Q extends ReportQuery>(db: Kysely<Database>, query: Q, filters: ReportFilters, asOf: Date, search = textSearch(filters)): Q {
  let q: ReportQuery = query;
  if (filters.status?.length) q = q.where('reports.status', 'in', filters.status);
  if (filters.areaIds !== undefined) q = q.where('reports.area_id', 'in', filters.areaIds.length ? filters.areaIds : [-1]);
  if (filters.type) q = q.where('reports.type', '=', filters.type);
  if (filters.channel) q = q.where('reports.channel', '=', filters.channel);
  if (filters.categoryId !== undefined) q = q.where('reports.category_id', '=', filters.categoryId);
  if (filters.citizenId !== undefined) q = q.where('reports.citizen_id', '=', filters.citizenId);
  if (filters.from) q = q.where('reports.received_at', '>=', filters.from.toISOString());
  if (filters.to) q = q.where('reports.received_at', '<=', filters.to.toISOString());
  // Not through the FTS5 index (too short for it, or PostgreSQL): the same matches, as a condition.
  if (search && indexedSearch(db, filters) === undefined) q = q.where(reportTextCondition(db, search));
  if (filters.late) {
    const now = asOf.toISOString();
    q = q.where((eb) => eb.or([lateToAssignSql(now, 'reports'), lateToReplySql(now, 'reports')]));
  }
  return q as Q;
}

/**
 * How many reports match the filters (at most --limit). The filters read the
 * reports alone (or the search index): counted without the joins a listing needs.
 */
export async function countReports(db: Kysely<Database>, filters: ReportFilters, asOf: Date): Promise<number> {
  const index = indexedSearch(db, filters);
  const from = (index === undefined ? db.selectFrom('reports') : reportMatches(db, index)) as unknown as ReportQuery;
  const matching = applyReportFilters(db, from, filters, asOf).clearSelect().select('reports.id').$if(filters.limit !== undefined, (query) => query.limit(filters.limit!));
  const row = await db.selectFrom(matching.as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Reports matching the filters, most recently received first. */
export async function listReports(db: Kysely<Database>, filters: ReportFilters, asOf: Date): Promise<Report[]> {
  let query = applyReportFilters(db, reportQuery(db, filters), filters, asOf);
  if (indexedSearch(db, filters) !== undefined && filters.limit !== undefined) {
    // The index hands its matches newest first (by day of receipt) without sorting them: the day of the
    // limit-th match bounds the newest ones, which alone are then sorted exactly (a hundred thousand matches cost as
    // little as twenty).
    const boundary = await query
      .clearSelect()
      .select(matchDay.as('day'))
      .orderBy(matchKey, 'desc')
      .offset(Math.max(0, filters.limit - 1))
      .limit(1)
      .executeTakeFirst();
    if (boundary) query = query.where(matchesFromDay(Number(boundary.day)));
  }
  const typed = textSearch(filters);
  if (typed && filters.limit !== undefined && !searchesThroughIndex(db)) {
    const search = await withNamedCitizens(db, typed);
    // PostgreSQL: first among the newest reports, row by row (see NEWEST_FIRST_LOOK).
    const newest = sql<boolean>`reports.id = any(array(select n.id from reports n order by n.received_at desc, n.id desc limit ${NEWEST_FIRST_LOOK}))`;
    const rows = await applyReportFilters(db, reportQuery(db), { ...filters, search: undefined }, asOf)
      .where(newest)
      .where(reportTextCondition(db, search, { rowByRow: true }))
      .orderBy('reports.received_at', 'desc')
      .orderBy('reports.id', 'desc')
      .limit(filters.limit)
      .execute();
    if (rows.length === filters.limit) return rows.map((row) => toReport(row, asOf));
    // Then every match, through the indexes: each alternative of the search through its own index, the other
    // filters applied there, its rows' ids and days of receipt put together and in order (the rows the index
    // found are read once), and only the listed ones joined to their citizens, areas and categories (a name
    // found in thousands of reports reads twenty citizens, not thousands).
    const others = { ...filters, search: undefined, limit: undefined };
    const [first, ...rest] = reportTextArms(search).map((arm) =>
      applyReportFilters(db, db.selectFrom('reports') as unknown as ReportQuery, others, asOf).clearSelect().select(['reports.id', 'reports.received_at']).where(arm),
    );
    const matches = rest.reduce((union, arm) => union.union(arm), first!);
    const listed = db.selectFrom(matches.as('m')).select('m.id').orderBy('m.received_at', 'desc').orderBy('m.id', 'desc').limit(filters.limit);
    query = reportQuery(db).where(sql<boolean>`reports.id = any(array(${listed}))`);
  }
  query = query.orderBy('reports.received_at', 'desc').orderBy('reports.id', 'desc');
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  const rows = await query.execute();
  return rows.map((row) => toReport(row, asOf));
}

export interface ReportDetails {
  readonly report: StoredReport;
  readonly citizen: {
    readonly id: number;
    readonly firstName: string;
    readonly lastName: string;
    readonly taxCode: string | null;
    readonly email: string | null;
    readonly phone: string | null;
    readonly address: string | null;
  };
  readonly categoryName: string | null;
  readonly areaName: string | null;
  readonly timeline: TimelineEvent[];
  readonly replies: Reply[];
  /** What was sent (or is waiting to be) about it: receipt, assignments, replies (issue 14). */
  readonly messages: OutboxMessage[];
}

/** Everything `report show` prints: the report, the citizen's contacts, the timeline and the replies. */
export async function getReportDetails(db: Kysely<Database>, numberText: string, asOf: Date, currentYear?: number): Promise<ReportDetails> {
  const report = await getReport(db, numberText, asOf, currentYear);
  const extra = await db
    .selectFrom('reports')
    .innerJoin('citizens', 'citizens.id', 'reports.citizen_id')
    .leftJoin('areas', 'areas.id', 'reports.area_id')
    .leftJoin('categories', 'categories.id', 'reports.category_id')
    .select([
      'citizens.tax_code',
      'citizens.email',
      'citizens.phone',
      'citizens.address',
      'areas.name as area_name',
      'categories.name as category_name',
    ])
    .where('reports.id', '=', report.id)
    .executeTakeFirstOrThrow();
  return {
    report,
    citizen: {
      ...report.citizen,
      taxCode: extra.tax_code,
      email: extra.email,
      phone: extra.phone,
      address: extra.address,
    },
    categoryName: extra.category_name,
    areaName: extra.area_name,
    timeline: await timeline(db, report.id),
    replies: await replies(db, report.id),
    messages: await reportMessages(db, report.id),
  };
}
