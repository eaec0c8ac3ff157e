import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { reportQuery } from './report-queries.js';
import { openSql, queuedSql, unassignedSql } from './report-state.js';
import { type Report, toReport } from './reports.js';

/**
 * What each side must do next (issue 3, item 4), sorted by deadline:
 * URP assigns new and returned reports and closes answered ones; each area
 * acknowledges, replies, and keeps an eye on its suspended reports.
 *
 * Every pile is read through a partial index of the reports it can hold
 * (the predicates of report-state.ts), so the queue costs the same on ten
 * years of history as on one month. The answered reports URP has not closed
 * pile up over the years (an office that never closes them has thousands):
 * they come as a count and the oldest few, all of them only when asked.
 */
export interface Queues {
  readonly urp: {
    readonly toAssign: Report[];
    /** Sent back by an area as not its competence: to reassign. */
    readonly returned: Report[];
    /** The oldest answered reports (all of them with `all`), by date of the answer. */
    readonly toClose: Report[];
    /** How many answered reports wait to be closed. */
    readonly toCloseCount: number;
  };
  readonly areas: Array<{
    readonly area: string;
    readonly name: string;
    readonly toAcknowledge: Report[];
    readonly toReply: Report[];
    readonly suspended: Report[];
  }>;
}

export interface QueueOptions {
  /** Only these areas' queues (an --area, or an area operator's own areas), without URP's. */
  readonly areaIds?: readonly number[] | undefined;
  /** Every answered report to close, not only the oldest. */
  readonly all?: boolean | undefined;
}

/** How many of the answered reports to close are listed without `all`. */
export const OLDEST_TO_CLOSE = 10;

export async function queues(db: Kysely<Database>, asOf: Date, { areaIds, all = false }: QueueOptions = {}): Promise<Queues> {
  const only = areaIds && (areaIds.length ? areaIds : [-1]);
  const urp = only === undefined;
  const stored = (query: ReturnType<typeof reportQuery>) => query.$if(only !== undefined, (q) => q.where('reports.area_id', 'in', only!));

  // URP's piles: registered reports (index reports_open_assign_due), returned ones told apart by their event.
  const registered = urp
    ? await reportQuery(db)
        .select((eb) =>
          eb
            .exists(eb.selectFrom('report_events as e').select('e.id').whereRef('e.report_id', '=', 'reports.id').where('e.kind', '=', 'returned'))
            .as('was_returned'),
        )
        .where(unassignedSql('reports'))
        .orderBy('reports.assign_due_at')
        .orderBy('reports.number')
        .execute()
    : [];
  const toCloseQuery = () => db.selectFrom('reports').where(queuedSql('reports')).where('reports.status', '=', 'answered');
  const toCloseCount = urp ? Number((await toCloseQuery().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : 0;
  const toClose = urp
    ? await reportQuery(db)
        .where(queuedSql('reports'))
        .where('reports.status', '=', 'answered')
        .orderBy('reports.answered_at')
        .orderBy('reports.number')
        .$if(!all, (query) => query.limit(OLDEST_TO_CLOSE))
        .execute()
    : [];

  // The areas' piles: open reports past URP (index reports_open_reply_due), by reply deadline.
  const assigned = await stored(reportQuery(db))
    .where(openSql('reports'))
    .where('reports.status', '<>', 'registered')
    .orderBy('reports.reply_due_at')
    .orderBy('reports.number')
    .execute();

  const areaRows = await db
    .selectFrom('areas')
    .select(['id', 'code', 'name'])
    .$if(only !== undefined, (query) => query.where('id', 'in', only!))
    .orderBy('code')
    .execute();
  const byArea = new Map<number, { toAcknowledge: Report[]; toReply: Report[]; suspended: Report[] }>(
    areaRows.map((area) => [area.id, { toAcknowledge: [], toReply: [], suspended: [] }]),
  );
  for (const row of assigned) {
    const piles = row.area_id === null ? undefined : byArea.get(row.area_id);
    if (!piles) continue;
    const report = toReport(row, asOf);
    if (report.status === 'assigned') piles.toAcknowledge.push(report);
    else if (report.status === 'acknowledged') piles.toReply.push(report);
    else if (report.status === 'suspended') piles.suspended.push(report);
  }
  const returned = (row: (typeof registered)[number]) => Boolean((row as { was_returned?: unknown }).was_returned);
  return {
    urp: {
      toAssign: registered.filter((row) => !returned(row)).map((row) => toReport(row, asOf)),
      returned: registered.filter(returned).map((row) => toReport(row, asOf)),
      toClose: toClose.map((row) => toReport(row, asOf)),
      toCloseCount,
    },
    areas: areaRows
      .map((area) => ({ area: area.code, name: area.name, ...byArea.get(area.id)! }))
      .filter((area) => only !== undefined || area.toAcknowledge.length + area.toReply.length + area.suspended.length > 0),
  };
}
