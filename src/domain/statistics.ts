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

function groupExpression(by: StatsGroup | undefined, months: Array<{ key: string; start: string }>): RawBuilder<string | null> {
  switch (by) {
    case 'area':
      return sql`(select code from areas where areas.id = r.area_id)`;
    case 'category':
      return sql`(select code from categories where categories.id = r.category_id)`;
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
  grp: string | null;
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
}

interface PercentileRow {
  grp: string | null;
  median: number | null;
  p90: number | null;
}

const round = (value: number | null, digits = 1) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const ratio = (count: number, of: number): Ratio => ({ count, of, percent: of === 0 ? null : round((100 * count) / of) });

export async function statistics(db: Kysely<Database>, options: StatsOptions): Promise<Stats> {
  const from = options.from.toISOString();
  const to = options.to.toISOString();
  const now = options.asOf.toISOString();
  const months = options.by === 'month' ? monthBoundaries(options.from, options.to, options.timeZone) : [];
  const group = groupExpression(options.by, months);
  const period = sql`r.received_at >= ${from} and r.received_at <= ${to}`;

  const figuresQuery = (grouped: RawBuilder<string | null>) => sql<FigureRow>`
    select ${grouped} as grp,
      count(*) as received,
      sum(r.status = 'rejected') as rejected,
      sum(r.first_answered_at is not null) as answered,
      sum(r.status in ('registered', 'assigned', 'acknowledged', 'suspended')) as open,
      sum((r.status = 'registered' and r.assign_due_at < ${now})
        or (r.status in ('registered', 'assigned', 'acknowledged') and r.reply_due_at < ${now})) as late_now,
      sum(r.status <> 'rejected' and r.first_assigned_at is not null and r.first_assigned_at <= r.first_assign_due_at) as assigned_on_time,
      sum(r.status <> 'rejected' and (r.first_assigned_at is not null or r.first_assign_due_at < ${now})) as assign_counted,
      sum(r.status <> 'rejected' and r.first_answered_at is not null and r.first_answered_at <= r.first_reply_due_at) as answered_on_time,
      sum(r.status <> 'rejected' and (r.first_answered_at is not null
        or (r.status in ('registered', 'assigned', 'acknowledged') and r.reply_due_at < ${now}))) as answer_counted,
      sum(r.status in ('answered', 'closed') and r.outcome = 'resolved') as resolved,
      sum(r.status in ('answered', 'closed') and r.outcome = 'unresolved') as unresolved,
      sum(r.status in ('answered', 'closed') and r.outcome = 'information') as information,
      sum(r.status in ('answered', 'closed') and r.outcome = 'not_competent') as not_competent
    from reports r
    where ${period}
    group by 1`;

  // Median (mean of the two middle values when even) and 90th percentile (nearest rank) per group.
  const percentileQuery = (grouped: RawBuilder<string | null>, value: RawBuilder<number>) => sql<PercentileRow>`
    select grp,
      avg(x) filter (where rn in ((n + 1) / 2, (n + 2) / 2)) as median,
      min(x) filter (where rn = (9 * n + 9) / 10) as p90
    from (
      select grp, x, row_number() over (partition by grp order by x) as rn, count(*) over (partition by grp) as n
      from (select ${grouped} as grp, ${value} as x from reports r where ${period} and r.status <> 'rejected') as v
      where x is not null
    ) as ranked
    group by grp`;

  const daysToAnswer = sql<number>`julianday(r.first_answered_at) - julianday(r.received_at)`;
  const hoursToAssign = sql<number>`(julianday(r.first_assigned_at) - julianday(r.received_at)) * 24`;
  const total = sql<string | null>`null`;

  const run = async (grouped: RawBuilder<string | null>) => {
    const [figures, answer, assign] = await Promise.all([
      figuresQuery(grouped).execute(db),
      percentileQuery(grouped, daysToAnswer).execute(db),
      percentileQuery(grouped, hoursToAssign).execute(db),
    ]);
    return figures.rows.map((row) => {
      const answerTimes = answer.rows.find((each) => each.grp === row.grp);
      const assignTimes = assign.rows.find((each) => each.grp === row.grp);
      return { group: row.grp, figures: toFigures(row, answerTimes, assignTimes) };
    });
  };

  const [totals, grouped] = await Promise.all([run(total), options.by ? run(group) : Promise.resolve([])]);
  const empty = toFigures(undefined, undefined, undefined);
  let groups = grouped;
  if (options.by === 'month') {
    // Every month of the period, also those with no report, in order.
    groups = months.map((month) => grouped.find((each) => each.group === month.key) ?? { group: month.key, figures: empty });
  } else groups.sort((a, b) => b.figures.received - a.figures.received || String(a.group).localeCompare(String(b.group)));
  return { from, to, asOf: now, by: options.by ?? null, total: totals[0]?.figures ?? empty, groups };
}

function toFigures(row: FigureRow | undefined, answer: PercentileRow | undefined, assign: PercentileRow | undefined): StatsFigures {
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
