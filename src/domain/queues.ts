import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { reportQuery } from './report-queries.js';
import { type Report, toReport } from './reports.js';

/**
 * What each side must do next (issue 3, item 4), sorted by deadline:
 * URP assigns new and returned reports and closes answered ones; each area
 * acknowledges, replies, and keeps an eye on its suspended reports.
 */
export interface Queues {
  readonly urp: {
    readonly toAssign: Report[];
    /** Sent back by an area as not its competence: to reassign. */
    readonly returned: Report[];
    readonly toClose: Report[];
  };
  readonly areas: Array<{
    readonly area: string;
    readonly name: string;
    readonly toAcknowledge: Report[];
    readonly toReply: Report[];
    readonly suspended: Report[];
  }>;
}

/** `areaIds`: only these areas' queues (an --area, or an area operator's own areas), without URP's. */
export async function queues(db: Kysely<Database>, asOf: Date, { areaIds }: { areaIds?: readonly number[] | undefined } = {}): Promise<Queues> {
  const only = areaIds && (areaIds.length ? areaIds : [-1]);
  const open = await reportQuery(db)
    .select((eb) =>
      eb
        .exists(eb.selectFrom('report_events as e').select('e.id').whereRef('e.report_id', '=', 'reports.id').where('e.kind', '=', 'returned'))
        .as('was_returned'),
    )
    .where('reports.status', 'in', ['registered', 'assigned', 'acknowledged', 'suspended', 'answered'])
    .$if(only !== undefined, (query) => query.where('reports.area_id', 'in', only!))
    .execute();
  const reports = open.map((row) => ({ report: toReport(row, asOf), returned: Boolean(row.was_returned) }));
  const by = (key: 'assignDueAt' | 'replyDueAt' | 'answeredAt') => (a: Report, b: Report) =>
    (a[key] ?? '').localeCompare(b[key] ?? '') || a.number.localeCompare(b.number);
  const pick = (test: (report: Report, returned: boolean) => boolean) =>
    reports.filter(({ report, returned }) => test(report, returned)).map(({ report }) => report);

  const areaRows = await db
    .selectFrom('areas')
    .select(['id', 'code', 'name'])
    .$if(only !== undefined, (query) => query.where('id', 'in', only!))
    .orderBy('code')
    .execute();
  return {
    urp: {
      toAssign: pick((report, returned) => report.status === 'registered' && !returned).sort(by('assignDueAt')),
      returned: pick((report, returned) => report.status === 'registered' && returned).sort(by('assignDueAt')),
      toClose: pick((report) => report.status === 'answered').sort(by('answeredAt')),
    },
    areas: areaRows
      .map((area) => {
        const own = (status: string) => pick((report) => report.status === status && report.area === area.code).sort(by('replyDueAt'));
        return { area: area.code, name: area.name, toAcknowledge: own('assigned'), toReply: own('acknowledged'), suspended: own('suspended') };
      })
      .filter((area) => only !== undefined || area.toAcknowledge.length + area.toReply.length + area.suspended.length > 0),
  };
}
