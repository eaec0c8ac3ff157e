import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../storage/schema.js';
import { START_OF_DAY, addCivilDays, civilDateOf, zonedInstant } from './calendar.js';
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

export async function statistics(db: Kysely<Database>, options: StatsOptions): Promise<Stats> {
  const from = options.from.toISOString();
  const to = options.to.toISOString();
  const now = options.asOf.toISOString();
  const months = options.by === 'month' ? monthBoundaries(options.from, options.to, options.timeZone) : [];
  const group = groupExpression(options.by, months);
  const period = sql<boolean>`r.received_at >= ${from} and r.received_at <= ${to}`;

  // One pass over the period through the covering index reports_received_at.
  const figuresQuery = (grouped: RawBuilder<string | number | null>) => sql<FigureRow>`
    select ${grouped} as grp,
      count(*) as received,
      sum(r.status = 'rejected') as rejected,
      sum(${ANSWERED_ON_TIME} is not null) as answered,
      sum(r.status in ('registered', 'assigned', 'acknowledged', 'suspended')) as open,
      sum((r.status = 'registered' and r.assign_due_at < ${now})
        or (r.status in ('registered', 'assigned', 'acknowledged') and r.reply_due_at < ${now})) as late_now,
      sum(r.status <> 'rejected' and ${ASSIGNED_ON_TIME} = 1) as assigned_on_time,
      sum(r.status <> 'rejected' and (${ASSIGNED_ON_TIME} is not null or r.first_assign_due_at < ${now})) as assign_counted,
      sum(r.status <> 'rejected' and ${ANSWERED_ON_TIME} = 1) as answered_on_time,
      sum(r.status <> 'rejected' and (${ANSWERED_ON_TIME} is not null
        or (r.status in ('registered', 'assigned', 'acknowledged') and r.reply_due_at < ${now}))) as answer_counted,
      sum(r.status in ('answered', 'closed') and r.outcome = 'resolved') as resolved,
      sum(r.status in ('answered', 'closed') and r.outcome = 'unresolved') as unresolved,
      sum(r.status in ('answered', 'closed') and r.outcome = 'information') as information,
      sum(r.status in ('answered', 'closed') and r.outcome = 'not_competent') as not_competent,
      count(${DAYS_TO_ANSWER}) filter (where r.status <> 'rejected') as answer_times,
      count(${HOURS_TO_ASSIGN}) filter (where r.status <> 'rejected') as assign_times
    from reports r
    where ${period}
    group by 1`;

  /**
   * Medians and 90th percentiles: SQLite sorts the values (per group) and
   * streams them back; only the values at the wanted ranks are kept. (Window
   * functions would do it in SQL too, at four times the cost.)
   */
  const percentiles = async (grouped: RawBuilder<string | number | null>, value: RawBuilder<number | null>, counts: Map<unknown, number>) => {
    const result = new Map<unknown, Percentiles>();
    const sorted = db
      .selectFrom('reports as r')
      .select([grouped.as('grp'), value.as('x')])
      .where(period)
      .where('r.status', '<>', 'rejected')
      .where(value, 'is not', null)
      .orderBy(sql`1`)
      .orderBy(sql`2`);
    let current: unknown = Symbol('none');
    let rank = 0;
    let ranks = percentileRanks(0);
    let low = 0;
    for await (const { grp, x: value } of sorted.stream()) {
      const x = value as number;
      if (grp !== current) {
        current = grp;
        rank = 0;
        ranks = percentileRanks(counts.get(grp) ?? 0);
        result.set(grp, { median: null, p90: null });
      }
      rank++;
      const entry = result.get(grp)!;
      if (rank === ranks.low) low = x;
      if (rank === ranks.high) entry.median = (low + x) / 2;
      if (rank === ranks.p90) entry.p90 = x;
    }
    return result;
  };

  const run = async (grouped: RawBuilder<string | number | null>) => {
    const figures = (await figuresQuery(grouped).execute(db)).rows;
    const answer = await percentiles(grouped, DAYS_TO_ANSWER, new Map(figures.map((row) => [row.grp, Number(row.answer_times)])));
    const assign = await percentiles(grouped, HOURS_TO_ASSIGN, new Map(figures.map((row) => [row.grp, Number(row.assign_times)])));
    return figures.map((row) => ({ group: row.grp, figures: toFigures(row, answer.get(row.grp), assign.get(row.grp)) }));
  };
  const codes = new Map<number, string>();
  if (options.by === 'area' || options.by === 'category') {
    const table = options.by === 'area' ? 'areas' : 'categories';
    for (const row of await db.selectFrom(table).select(['id', 'code']).execute()) codes.set(row.id, row.code);
  }
  const label = (group: string | number | null): string | null =>
    group === null ? null : typeof group === 'number' ? (codes.get(group) ?? String(group)) : group;

  const totals = await run(sql`null`);
  const grouped = (options.by ? await run(group) : []).map((each) => ({ group: label(each.group), figures: each.figures }));
  const empty = toFigures(undefined, undefined, undefined);
  let groups = grouped;
  if (options.by === 'month') {
    // Every month of the period, also those with no report, in order.
    groups = months.map((month) => grouped.find((each) => each.group === month.key) ?? { group: month.key, figures: empty });
  } else {
    // Most reports first; reports with no area or category last.
    groups.sort((a, b) => Number(a.group === null) - Number(b.group === null) || b.figures.received - a.figures.received || String(a.group).localeCompare(String(b.group)));
  }
  return { from, to, asOf: now, by: options.by ?? null, total: totals[0]?.figures ?? empty, groups };
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
