import type { ColumnReader } from '../storage/column-reader.js';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { END_OF_DAY, START_OF_DAY, addCivilDays, civilDateOf, zonedInstant, type CivilDate } from './calendar.js';
import type { Settings } from './settings.js';
import {
  type Backlog,
  type StatsFigures,
  type StatsGroup,
  detailedStatistics,
  frequentPlaces,
  openBacklog,
  receivedVolumes,
  reopenedReports,
  repeatCitizens,
} from './statistics.js';

/**
 * The management review pack (riesame della direzione, ISO 9001 clause 9.3;
 * ISO 10002 monitoring of complaints handling), issue 15. Every figure comes
 * from statistics.ts, the same functions and definitions as `urp stats`, so
 * the pack and `urp stats --json` agree for the same period; this module
 * only puts them together: the previous period, the Pareto lists, the
 * targets.
 */
export interface ReviewOptions {
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  readonly timeZone: string;
}

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** One group of a volume table: this period's figures and the previous period's volume. */
export interface GroupComparison {
  readonly group: string | null;
  /** The area's or category's name where there is one. */
  readonly name: string | null;
  readonly figures: StatsFigures;
  readonly previous: number;
}

export interface ParetoItem {
  readonly label: string;
  readonly count: number;
  /** Share of the whole, and running total of the shares, in percent (one decimal). */
  readonly percent: number;
  readonly cumulativePercent: number;
}

export interface TargetResult {
  readonly key: 'target-on-time-reply' | 'target-on-time-assign' | 'target-median-reply-days';
  readonly target: number;
  readonly result: number | null;
  /** null when there is nothing to measure yet. */
  readonly met: boolean | null;
}

export interface Review {
  readonly period: Period & { readonly asOf: string };
  /** The period of the same length just before; `wholeMonths` when both are made of whole calendar months. */
  readonly previous: Period & { readonly wholeMonths: boolean; readonly received: number };
  readonly total: StatsFigures;
  readonly p90HoursToAssign: number | null;
  readonly byType: GroupComparison[];
  readonly byChannel: GroupComparison[];
  readonly byCategory: GroupComparison[];
  readonly byArea: GroupComparison[];
  /** Every month of the period; `previous` is the month at the same place in the previous period (0 unless it is made of whole months). */
  readonly byMonth: GroupComparison[];
  readonly backlog: Backlog;
  readonly reopened: { readonly reports: number; readonly reopenings: number };
  /** Citizens with three or more reports in the period. */
  readonly repeatCitizens: { readonly citizens: number; readonly reports: number; readonly minimum: number };
  readonly categoryPareto: ParetoItem[];
  readonly placePareto: ParetoItem[];
  readonly targets: TargetResult[];
}

/** How many reports make a citizen a frequent one, for the review. */
export const REPEAT_MINIMUM = 3;
/** Pareto lists show this many items, the rest as one. */
export const PARETO_ITEMS = 10;

const monthIndex = (date: CivilDate) => date.year * 12 + date.month - 1;
const firstOfMonth = (index: number): CivilDate => ({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });

/**
 * The period of the same length that ends the day before `from`. When the
 * period is made of whole calendar months (from the 1st to the end of a
 * month's last day) it is the same number of months before, so that a year
 * is compared with the year before, leap or not; otherwise the same number
 * of days.
 */
export function previousPeriod(from: Date, to: Date, timeZone: string): { from: Date; to: Date; wholeMonths: boolean } {
  const first = civilDateOf(from, timeZone);
  const last = civilDateOf(to, timeZone);
  const end = zonedInstant(addCivilDays(first, -1), END_OF_DAY, timeZone);
  const startsAtMonth = first.day === 1 && zonedInstant(first, START_OF_DAY, timeZone).getTime() === from.getTime();
  const endsAtMonth = addCivilDays(last, 1).day === 1 && zonedInstant(last, END_OF_DAY, timeZone).getTime() === to.getTime();
  if (startsAtMonth && endsAtMonth) {
    const months = monthIndex(last) - monthIndex(first) + 1;
    return { from: zonedInstant(firstOfMonth(monthIndex(first) - months), START_OF_DAY, timeZone), to: end, wholeMonths: true };
  }
  const days = Math.round((Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000) + 1;
  return { from: zonedInstant(addCivilDays(first, -days), START_OF_DAY, timeZone), to: end, wholeMonths: false };
}

/** Items by count, the first PARETO_ITEMS and the rest as one ("other"), with shares and running shares. */
export function pareto(items: ReadonlyArray<{ label: string; count: number }>, otherLabel: string): ParetoItem[] {
  const sorted = [...items].filter((item) => item.count > 0).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const shown = sorted.slice(0, PARETO_ITEMS);
  const rest = sorted.slice(PARETO_ITEMS).reduce((sum, item) => sum + item.count, 0);
  if (rest > 0) shown.push({ label: otherLabel, count: rest });
  const whole = sorted.reduce((sum, item) => sum + item.count, 0);
  let running = 0;
  return shown.map((item) => {
    running += item.count;
    return { ...item, percent: round1((100 * item.count) / whole), cumulativePercent: round1((100 * running) / whole) };
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export async function review(
  db: Kysely<Database>,
  options: ReviewOptions,
  targets: Pick<Settings, 'targetOnTimeReply' | 'targetOnTimeAssign' | 'targetMedianReplyDays'>,
  labels: { other: string; none: string },
  readColumn?: ColumnReader,
): Promise<Review> {
  const previous = previousPeriod(options.from, options.to, options.timeZone);
  const names = new Map<string, string>();
  for (const row of await db.selectFrom('areas').select(['code', 'name']).execute()) names.set(`area:${row.code}`, row.name);
  for (const row of await db.selectFrom('categories').select(['code', 'name']).execute()) names.set(`category:${row.code}`, row.name);

  const compare = async (by: StatsGroup) => {
    const current = await detailedStatistics(db, { ...options, by }, readColumn);
    const before = await receivedVolumes(db, { from: previous.from, to: previous.to, timeZone: options.timeZone, by });
    const rows: GroupComparison[] = current.stats.groups.map((group, index) => ({
      group: group.group,
      name: group.group === null ? null : (names.get(`${by}:${group.group}`) ?? null),
      figures: group.figures,
      previous:
        by === 'month'
          ? previous.wholeMonths
            ? (before[index]?.received ?? 0)
            : 0
          : (before.find((each) => each.group === group.group)?.received ?? 0),
    }));
    return { current, rows };
  };
  const byType = await compare('type');
  const byChannel = await compare('channel');
  const byCategory = await compare('category');
  const byArea = await compare('area');
  const byMonth = await compare('month');
  const total = byType.current.stats.total;
  const previousTotal = (await receivedVolumes(db, { from: previous.from, to: previous.to, timeZone: options.timeZone, by: 'type' })).reduce((sum, group) => sum + group.received, 0);

  const places = await frequentPlaces(db, options);
  const measured = (target: number, result: number | null, higherIsBetter: boolean) => ({
    target,
    result,
    met: result === null ? null : higherIsBetter ? result >= target : result <= target,
  });
  return {
    period: { from: options.from.toISOString(), to: options.to.toISOString(), asOf: options.asOf.toISOString() },
    previous: { from: previous.from.toISOString(), to: previous.to.toISOString(), wholeMonths: previous.wholeMonths, received: previousTotal },
    total,
    p90HoursToAssign: byType.current.p90HoursToAssign.total,
    byType: byType.rows,
    byChannel: byChannel.rows,
    byCategory: byCategory.rows,
    byArea: byArea.rows,
    byMonth: byMonth.rows,
    backlog: await openBacklog(db, options),
    reopened: await reopenedReports(db, options),
    repeatCitizens: { ...(await repeatCitizens(db, { ...options, minimum: REPEAT_MINIMUM })), minimum: REPEAT_MINIMUM },
    categoryPareto: pareto(
      byCategory.rows.map((row) => ({ label: row.group === null ? labels.none : (row.name ?? row.group), count: row.figures.received })),
      labels.other,
    ),
    placePareto: pareto(places.map((place) => ({ label: place.place, count: place.reports })), labels.other),
    targets: [
      { key: 'target-on-time-reply', ...measured(targets.targetOnTimeReply, total.answeredOnTime.percent, true) },
      { key: 'target-on-time-assign', ...measured(targets.targetOnTimeAssign, total.assignedOnTime.percent, true) },
      { key: 'target-median-reply-days', ...measured(targets.targetMedianReplyDays, total.medianDaysToAnswer, false) },
    ],
  };
}
