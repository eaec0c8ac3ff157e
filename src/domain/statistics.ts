import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type ColumnReader, rowsColumnReader } from '../storage/column-reader.js';
import { knownFigure } from '../storage/derived-figures.js';
import type { Database } from '../storage/schema.js';
import { compareCodes } from '../text/compare.js';
import { START_OF_DAY, addCivilDays, civilDateOf, zonedInstant } from './calendar.js';
import { lateToAssignSql, lateToReplySql, openSql } from './report-state.js';
import type { Outcome } from './vocabulary.js';

/**
 * Quality statistics (issue 4, ISO 9001 reviews) for the reports received in
 * a period, overall and per group. Everything is aggregated inside SQLite
 * (counts, sums, and medians through window functions): no report is loaded
 * into memory, so a year of a ten-year register takes a fraction of a second.
 *
 * Definitions (also in the README):
 * - received: reports received in the period, rejected ones included;
 * - rejected: of those, rejected (they count in no percentage or time);
 * - answered: answered at least once (a reopened report counts its first answer);
 * - open: registered, assigned, acknowledged or suspended now;
 * - assigned on time: first assignment no later than the first assignment
 *   deadline, out of the reports assigned plus those still unassigned past it;
 * - answered on time: first answer no later than the reply deadline then in
 *   force (suspended days included), out of the reports answered plus those
 *   late to reply now; suspended reports not yet answered are not counted;
 * - days to answer: from receipt to the first answer, calendar time
 *   (suspensions included: the citizen waited); median and 90th percentile
 *   (nearest rank);
 * - hours to assign: from receipt to the first assignment, median;
 * - late now: late to assign or late to reply as of the as-of moment;
 * - outcomes: of the reports whose current status is answered or closed.
 */
export type StatsGroup = 'area' | 'type' | 'channel' | 'category' | 'month';

export interface Ratio {
  readonly count: number;
  readonly of: number;
  /** One decimal; null when nothing is counted. */
  readonly percent: number | null;
}

export interface StatsFigures {
  readonly received: number;
  readonly rejected: number;
  readonly answered: number;
  readonly open: number;
  readonly lateNow: number;
  readonly assignedOnTime: Ratio;
  readonly answeredOnTime: Ratio;
  readonly medianDaysToAnswer: number | null;
  readonly p90DaysToAnswer: number | null;
  readonly medianHoursToAssign: number | null;
  readonly outcomes: Record<Outcome, number>;
}

export interface Stats {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly by: StatsGroup | null;
  readonly total: StatsFigures;
  readonly groups: Array<{ readonly group: string | null; readonly figures: StatsFigures }>;
}

export interface StatsOptions {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly by?: StatsGroup | undefined;
  readonly timeZone: string;
}

/** Start of each month of the period (Rome time), plus the end: month groups are computed on these instants. */
function monthBoundaries(from: Date, to: Date, timeZone: string): Array<{ key: string; start: string }> {
  const first = civilDateOf(from, timeZone);
  const months: Array<{ key: string; start: string }> = [];
  let cursor = { year: first.year, month: first.month, day: 1 };
  while (true) {
    const start = zonedInstant(cursor, START_OF_DAY, timeZone);
    if (start.getTime() > to.getTime()) break;
    months.push({ key: `${cursor.year}-${String(cursor.month).padStart(2, '0')}`, start: start.toISOString() });
    const next = addCivilDays({ ...cursor, day: 28 }, 4);
    cursor = { year: next.year, month: next.month, day: 1 };
  }
  return months;
}

function groupExpression(by: StatsGroup | undefined, months: Array<{ key: string; start: string }>): RawBuilder<string | number | null> {
  switch (by) {
    // Ids here (read from the covering index), codes afterwards.
    case 'area':
      return sql`r.area_id`;
    case 'category':
      return sql`r.category_id`;
    case 'type':
      return sql`r.type`;
    case 'channel':
      return sql`r.channel`;
    case 'month': {
      // Rome months, not UTC ones: a report received at 00:30 on the 1st belongs to the new month.
      const branches = [...months].reverse().map((month) => sql`when r.received_at >= ${month.start} then ${month.key}`);
      return sql`case ${sql.join(branches, sql` `)} end`;
    }
    default:
      return sql`null`;
  }
}

interface FigureRow {
  grp: string | number | null;
  received: number;
  rejected: number;
  answered: number;
  open: number;
  late_now: number;
  assigned_on_time: number;
  assign_counted: number;
  answered_on_time: number;
  answer_counted: number;
  resolved: number;
  unresolved: number;
  information: number;
  not_competent: number;
  answer_times: number;
  assign_times: number;
}

interface Percentiles {
  median: number | null;
  p90: number | null;
}

const round = (value: number | null, digits = 1) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const ratio = (count: number, of: number): Ratio => ({ count, of, percent: of === 0 ? null : round((100 * count) / of) });

/** Ranks (1-based) that the median (mean of the middle two when even) and the 90th percentile (nearest rank) read. */
const TOTAL = Symbol('total');

/** Median and 90th percentile of sorted values (null when there are none). */
function pick(sorted: Float64Array): Percentiles {
  if (sorted.length === 0) return { median: null, p90: null };
  const ranks = percentileRanks(sorted.length);
  return { median: (sorted[ranks.low - 1]! + sorted[ranks.high - 1]!) / 2, p90: sorted[ranks.p90 - 1]! };
}

function percentileRanks(n: number): { low: number; high: number; p90: number } {
  return { low: Math.floor((n + 1) / 2), high: Math.floor((n + 2) / 2), p90: Math.ceil(0.9 * n) };
}

/**
 * The derived figures, written exactly as in the index reports_received_at
 * (migrations): SQLite then reads them from the index instead of computing
 * them row by row. A test checks that the plan stays a covering-index scan.
 */
const ASSIGNED_ON_TIME = sql<number | null>`(r.first_assigned_at <= r.first_assign_due_at)`;
const ANSWERED_ON_TIME = sql<number | null>`(r.first_answered_at <= r.first_reply_due_at)`;
const DAYS_TO_ANSWER = sql<number | null>`(julianday(r.first_answered_at) - julianday(r.received_at))`;
const HOURS_TO_ASSIGN = sql<number | null>`((julianday(r.first_assigned_at) - julianday(r.received_at)) * 24)`;
/** The instants that make each duration known (storage/derived-figures.ts). */
const FIRST_ANSWERED = sql<string | null>`r.first_answered_at`;
const FIRST_ASSIGNED = sql<string | null>`r.first_assigned_at`;

/**
 * How many rows of the group meet a condition, written so that both engines
 * accept it (PostgreSQL sums no booleans) and SQLite still reads the
 * condition's expressions from the covering index.
 */
const countWhere = (condition: RawBuilder<unknown>) => sql<number>`count(case when ${condition} then 1 end)`;

/**
 * `readColumn` reads the bulk columns (src/storage/column-reader.ts: on
 * SQLite a plain array of numbers rather than a hundred thousand objects).
 */
export async function statistics(db: Kysely<Database>, options: StatsOptions, readColumn: ColumnReader = rowsColumnReader): Promise<Stats> {
  return (await detailedStatistics(db, options, readColumn)).stats;
}

/** Figures the review pack shows beyond `urp stats` (whose JSON stays as it is), computed in the same passes. */
export interface DetailedStats {
  readonly stats: Stats;
  /** 90th percentile (nearest rank) of the hours from receipt to the first assignment: the whole period, and per group (in the order of stats.groups). */
  readonly p90HoursToAssign: { readonly total: number | null; readonly groups: ReadonlyArray<number | null> };
}

/** `statistics`, with the extra figures of DetailedStats. */
export async function detailedStatistics(db: Kysely<Database>, options: StatsOptions, readColumn: ColumnReader = rowsColumnReader): Promise<DetailedStats> {
  const columnValues = readColumn;
  const from = options.from.toISOString();
  const to = options.to.toISOString();
  const now = options.asOf.toISOString();
  const months = options.by === 'month' ? monthBoundaries(options.from, options.to, options.timeZone) : [];
  const group = groupExpression(options.by, months);
  const period = sql<boolean>`r.received_at >= ${from} and r.received_at <= ${to}`;

  // (Null flags stand for "not yet assigned" and "not yet answered": read from the index too.)
  // Three passes, each doing as little per row as it can: all reports of the
  // period, the non-rejected ones (both through the covering index
  // reports_received_at), and the open ones (through the partial index of
  // open reports, a few thousand rows even in a ten-year register).
  const OPEN = openSql('r');
  const figuresQuery = async (grouped: RawBuilder<string | number | null>): Promise<FigureRow[]> => {
    const all = sql<{ grp: string | number | null; received: number; rejected: number; answered: number }>`
      select ${grouped} as grp, count(*) as received, ${countWhere(sql`r.status = 'rejected'`)} as rejected, ${countWhere(sql`${ANSWERED_ON_TIME} is not null`)} as answered
      from reports r where ${period} group by 1`;
    const kept = sql<Record<string, number> & { grp: string | number | null }>`
      select ${grouped} as grp,
        ${countWhere(ASSIGNED_ON_TIME)} as assigned_on_time,
        ${countWhere(sql`${ASSIGNED_ON_TIME} is not null`)} as assigned,
        ${countWhere(ANSWERED_ON_TIME)} as answered_on_time,
        ${countWhere(sql`${ANSWERED_ON_TIME} is not null`)} as answered_kept,
        -- an outcome is set exactly while a report is answered or closed
        ${countWhere(sql`r.outcome = 'resolved'`)} as resolved,
        ${countWhere(sql`r.outcome = 'unresolved'`)} as unresolved,
        ${countWhere(sql`r.outcome = 'information'`)} as information,
        ${countWhere(sql`r.outcome = 'not_competent'`)} as not_competent,
        count(${knownFigure(db, DAYS_TO_ANSWER, FIRST_ANSWERED)}) as answer_times,
        count(${knownFigure(db, HOURS_TO_ASSIGN, FIRST_ASSIGNED)}) as assign_times
      from reports r where ${period} and r.status <> 'rejected' group by 1`;
    const open = sql<Record<string, number> & { grp: string | number | null }>`
      select ${grouped} as grp,
        count(*) as open,
        ${countWhere(sql`${lateToAssignSql(now, 'r')} or ${lateToReplySql(now, 'r')}`)} as late_now,
        ${countWhere(sql`${ASSIGNED_ON_TIME} is null and r.first_assign_due_at < ${now}`)} as unassigned_past_due,
        ${countWhere(sql`${ANSWERED_ON_TIME} is null and ${lateToReplySql(now, 'r')}`)} as unanswered_past_due
      from reports r where ${OPEN} and ${period} group by 1`;
    const [allRows, keptRows, openRows] = await Promise.all([all.execute(db), kept.execute(db), open.execute(db)]);
    return allRows.rows.map((row) => {
      const k = keptRows.rows.find((each) => each.grp === row.grp) ?? ({} as Record<string, number>);
      const o = openRows.rows.find((each) => each.grp === row.grp) ?? ({} as Record<string, number>);
      const n = (value: number | undefined) => Number(value ?? 0);
      return {
        grp: row.grp,
        received: n(row.received),
        rejected: n(row.rejected),
        answered: n(row.answered),
        open: n(o.open),
        late_now: n(o.late_now),
        assigned_on_time: n(k.assigned_on_time),
        assign_counted: n(k.assigned) + n(o.unassigned_past_due),
        answered_on_time: n(k.answered_on_time),
        answer_counted: n(k.answered_kept) + n(o.unanswered_past_due),
        resolved: n(k.resolved),
        unresolved: n(k.unresolved),
        information: n(k.information),
        not_competent: n(k.not_competent),
        answer_times: n(k.answer_times),
        assign_times: n(k.assign_times),
      };
    });
  };

  /**
   * Medians and 90th percentiles. SQLite computes each report's duration
   * from the covering index (no row is read); what comes back is one number
   * per report, collected per group into typed arrays and sorted there:
   * three times faster than SQLite's sorter or window functions, and 8 bytes
   * a report (a million reports: 8 MB).
   */
  const percentiles = async (grouped: RawBuilder<string | number | null>, value: RawBuilder<number | null>, instant: RawBuilder<string | null>) => {
    // Index order needs no sort, and is the same for both columns (ties in received_at follow the rowid).
    const column = (selected: RawBuilder<unknown>) =>
      db
        .selectFrom('reports as r')
        .select(selected.as('v'))
        .where(period)
        .where('r.status', '<>', 'rejected')
        .where(knownFigure(db, value, instant), 'is not', null)
        .orderBy('r.received_at');
    const xs = (await columnValues(column(value))) as number[];
    const groups = options.by ? await columnValues(column(grouped)) : undefined;
    const values = new Map<unknown, number[]>();
    if (groups) {
      for (let index = 0; index < xs.length; index++) {
        let list = values.get(groups[index]);
        if (!list) values.set(groups[index], (list = []));
        list.push(xs[index]!);
      }
    } else values.set(null, xs);
    const result = new Map<unknown, Percentiles>();
    for (const [grp, list] of values) result.set(grp, pick(Float64Array.from(list).sort()));
    // The whole period: every group's values together.
    result.set(TOTAL, groups ? pick(Float64Array.from(xs).sort()) : result.get(null)!);
    return result;
  };

  // One pass per figure: the total is the sum of the groups (all counts add up).
  // Independent passes, started together: a server runs them side by side (on SQLite they run in turn anyway).
  const [figures, answer, assign] = await Promise.all([figuresQuery(group), percentiles(group, DAYS_TO_ANSWER, FIRST_ANSWERED), percentiles(group, HOURS_TO_ASSIGN, FIRST_ASSIGNED)]);
  const grouped = figures.map((row) => ({ group: row.grp, figures: toFigures(row, answer.get(row.grp), assign.get(row.grp)), p90Assign: round(assign.get(row.grp)?.p90 ?? null) }));
  const sum = (key: keyof FigureRow) => figures.reduce((total, row) => total + Number(row[key] ?? 0), 0);
  const totalRow = Object.fromEntries(Object.keys(figures[0] ?? {}).map((key) => [key, sum(key as keyof FigureRow)])) as unknown as FigureRow;
  const total = figures.length ? toFigures(totalRow, answer.get(TOTAL), assign.get(TOTAL)) : toFigures(undefined, undefined, undefined);

  const codes = new Map<number, string>();
  if (options.by === 'area' || options.by === 'category') {
    const table = options.by === 'area' ? 'areas' : 'categories';
    for (const row of await db.selectFrom(table).select(['id', 'code']).execute()) codes.set(row.id, row.code);
  }
  const label = (group: string | number | null): string | null =>
    group === null ? null : typeof group === 'number' ? (codes.get(group) ?? String(group)) : group;

  const empty = toFigures(undefined, undefined, undefined);
  let groups = options.by ? grouped.map((each) => ({ group: label(each.group), figures: each.figures, p90Assign: each.p90Assign })) : [];
  if (options.by === 'month') {
    // Every month of the period, also those with no report, in order.
    groups = months.map((month) => groups.find((each) => each.group === month.key) ?? { group: month.key, figures: empty, p90Assign: null });
  } else {
    // Most reports first; reports with no area or category last.
    groups.sort((a, b) => Number(a.group === null) - Number(b.group === null) || b.figures.received - a.figures.received || compareCodes(String(a.group), String(b.group)));
  }
  return {
    stats: { from, to, asOf: now, by: options.by ?? null, total, groups: groups.map(({ group, figures: each }) => ({ group, figures: each })) },
    p90HoursToAssign: { total: figures.length ? round(assign.get(TOTAL)?.p90 ?? null) : null, groups: groups.map((each) => each.p90Assign) },
  };
}

function toFigures(row: FigureRow | undefined, answer: Percentiles | undefined, assign: Percentiles | undefined): StatsFigures {
  const n = (value: number | undefined) => Number(value ?? 0);
  return {
    received: n(row?.received),
    rejected: n(row?.rejected),
    answered: n(row?.answered),
    open: n(row?.open),
    lateNow: n(row?.late_now),
    assignedOnTime: ratio(n(row?.assigned_on_time), n(row?.assign_counted)),
    answeredOnTime: ratio(n(row?.answered_on_time), n(row?.answer_counted)),
    medianDaysToAnswer: round(answer?.median ?? null),
    p90DaysToAnswer: round(answer?.p90 ?? null),
    medianHoursToAssign: round(assign?.median ?? null),
    outcomes: {
      resolved: n(row?.resolved),
      unresolved: n(row?.unresolved),
      information: n(row?.information),
      not_competent: n(row?.not_competent),
    },
  };
}

/*
 * Figures of the management review (issue 15) that `urp stats` does not
 * show. Same period (reports received from `from` to `to`), same statuses,
 * same indexes: the range of received_at is read from reports_received_at,
 * open reports from the partial indexes of open reports.
 */
const OPEN_REPORT = openSql('r');
const inPeriod = (options: { from: Date; to: Date }) => sql<boolean>`r.received_at >= ${options.from.toISOString()} and r.received_at <= ${options.to.toISOString()}`;

/**
 * "received" alone, per group: the previous period beside the current one.
 * Counted as statistics counts it (every report received, rejected ones included).
 */
export async function receivedVolumes(
  db: Kysely<Database>,
  options: Omit<StatsOptions, 'asOf' | 'by'> & { by: StatsGroup },
): Promise<Array<{ group: string | null; received: number }>> {
  const months = options.by === 'month' ? monthBoundaries(options.from, options.to, options.timeZone) : [];
  const rows = await sql<{ grp: string | number | null; received: number }>`
    select ${groupExpression(options.by, months)} as grp, count(*) as received
    from reports r where ${inPeriod(options)} group by 1`.execute(db);
  const codes = new Map<number, string>();
  if (options.by === 'area' || options.by === 'category') {
    for (const row of await db.selectFrom(options.by === 'area' ? 'areas' : 'categories').select(['id', 'code']).execute()) codes.set(row.id, row.code);
  }
  const groups = rows.rows.map((row) => ({
    group: row.grp === null ? null : typeof row.grp === 'number' ? (codes.get(row.grp) ?? String(row.grp)) : row.grp,
    received: Number(row.received),
  }));
  if (options.by === 'month') return months.map((month) => groups.find((each) => each.group === month.key) ?? { group: month.key, received: 0 });
  return groups;
}

export interface Backlog {
  readonly days0to7: number;
  readonly days8to30: number;
  readonly days31to60: number;
  readonly over60: number;
}

/**
 * The reports received in the period and open at `asOf` (the "open" figure
 * of statistics), by whole days elapsed since receipt: 0-7, 8-30, 31-60, over 60.
 */
export async function openBacklog(db: Kysely<Database>, options: { from: Date; to: Date; asOf: Date }): Promise<Backlog> {
  const age = sql`(julianday(${options.asOf.toISOString()}) - julianday(r.received_at))`;
  const { rows } = await sql<Record<keyof Backlog, number | null>>`
    select ${countWhere(sql`${age} < 8`)} as days0to7, ${countWhere(sql`${age} >= 8 and ${age} < 31`)} as days8to30,
      ${countWhere(sql`${age} >= 31 and ${age} < 61`)} as days31to60, ${countWhere(sql`${age} >= 61`)} as over60
    from reports r where ${OPEN_REPORT} and ${inPeriod(options)}`.execute(db);
  const row = rows[0];
  return { days0to7: Number(row?.days0to7 ?? 0), days8to30: Number(row?.days8to30 ?? 0), days31to60: Number(row?.days31to60 ?? 0), over60: Number(row?.over60 ?? 0) };
}

/** Reports of the period reopened at least once (closed, or rejected, then reopened), and the reopenings. */
export async function reopenedReports(db: Kysely<Database>, options: { from: Date; to: Date }): Promise<{ reports: number; reopenings: number }> {
  const { rows } = await sql<{ reports: number; reopenings: number | null }>`
    select count(*) as reports, sum(r.reopen_count) as reopenings
    from reports r where ${inPeriod(options)} and r.reopen_count > 0`.execute(db);
  return { reports: Number(rows[0]?.reports ?? 0), reopenings: Number(rows[0]?.reopenings ?? 0) };
}

/** Citizens with at least `minimum` reports received in the period, and how many reports they made: counts only, never who. */
export async function repeatCitizens(db: Kysely<Database>, options: { from: Date; to: Date; minimum: number }): Promise<{ citizens: number; reports: number }> {
  const { rows } = await sql<{ citizens: number; reports: number | null }>`
    select count(*) as citizens, sum(n) as reports from (
      select r.citizen_id, count(*) as n from reports r where ${inPeriod(options)}
      group by r.citizen_id having count(*) >= ${options.minimum}) as repeat_citizens`.execute(db);
  return { citizens: Number(rows[0]?.citizens ?? 0), reports: Number(rows[0]?.reports ?? 0) };
}

/**
 * The places of the period's reports, most frequent first. A place is the
 * location as typed, without case, accents, punctuation and a trailing house
 * number ("Via Roma, 12" and "via roma 14" are one street); it is shown as
 * first written, without the number. Reports with no location are not counted.
 */
export async function frequentPlaces(db: Kysely<Database>, options: { from: Date; to: Date }): Promise<Array<{ place: string; reports: number }>> {
  const { rows } = await sql<{ location: string }>`
    select r.location as location from reports r where ${inPeriod(options)} and r.location is not null and r.location <> ''`.execute(db);
  const places = new Map<string, { place: string; reports: number }>();
  for (const { location } of rows) {
    const shown = location.replace(/[\s,.;:/-]*\b(?:n\.?\s*|nr\.?\s*|civico\s*)?\d+(?:\s*\/\s*[a-z0-9]+|[a-z])?\s*$/i, '').replace(/\s+/g, ' ').trim() || location.trim();
    const key = shown
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    const entry = places.get(key);
    if (entry) entry.reports++;
    else places.set(key, { place: shown, reports: 1 });
  }
  return [...places.values()].sort((a, b) => b.reports - a.reports || a.place.localeCompare(b.place));
}
