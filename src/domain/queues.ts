import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../storage/schema.js';
import { reportQuery } from './report-queries.js';
import { openSql, queuedSql, unassignedSql } from './report-state.js';
import { type Report, toReport } from './reports.js';

/**
 * What each side must do next (issue 3, item 4): URP assigns new and
 * returned reports and closes answered ones; each area acknowledges,
 * replies, and keeps an eye on its suspended reports.
 *
 * Each pile comes as its size and its first reports (the most urgent, by
 * deadline; the answered ones to close, the oldest), every report only when
 * asked (`all`): a register of ten years holds thousands of reports in
 * progress and, in an office that never closes answered ones, thousands
 * more. The piles are counted and ranked inside SQLite from the partial
 * indexes of open (and answered) reports, with the predicates of
 * report-state.ts, and only the reports shown are read whole: the queue
 * costs the same on ten years of history as on one month. (PostgreSQL's
 * indexes hold no row id unless told: its own migration 2026-12-02-001 gives
 * it the indexes these rankings read alone; tests/postgres/queue-plan.test.ts.)
 */
export interface Queues {
  readonly urp: {
    readonly toAssign: Report[];
    /** Sent back by an area as not its competence: to reassign. */
    readonly returned: Report[];
    /** Answered, waiting for URP to close them: the oldest first. */
    readonly toClose: Report[];
    /** How many reports each pile holds (the lists hold at most `limit` of them). */
    readonly counts: { readonly toAssign: number; readonly returned: number; readonly toClose: number };
  };
  readonly areas: Array<{
    readonly area: string;
    readonly name: string;
    readonly toAcknowledge: Report[];
    readonly toReply: Report[];
    readonly suspended: Report[];
    readonly counts: { readonly toAcknowledge: number; readonly toReply: number; readonly suspended: number };
  }>;
}

export interface QueueOptions {
  /** Only these areas' queues (an --area, or an area operator's own areas), without URP's. */
  readonly areaIds?: readonly number[] | undefined;
  /** Every report of every pile, not only the first PILE_LIMIT. */
  readonly all?: boolean | undefined;
}

/** How many reports of each pile are listed without `all`. */
export const PILE_LIMIT = 10;

type Pile = 'toAssign' | 'returned' | 'toClose' | 'toAcknowledge' | 'toReply' | 'suspended';
interface Ranked {
  id: number;
  pile: Pile;
  area_id: number | null;
  position: number;
  total: number;
}

export async function queues(db: Kysely<Database>, asOf: Date, { areaIds, all = false }: QueueOptions = {}): Promise<Queues> {
  const only = areaIds && (areaIds.length ? areaIds : [-1]);
  const urp = only === undefined;
  const limit = all ? Number.MAX_SAFE_INTEGER : PILE_LIMIT;
  const inAreas = only === undefined ? sql<boolean>`1 = 1` : sql<boolean>`reports.area_id in (${sql.join(only)})`;

  // Each pile ranked and counted from a partial index alone (no row is read): ids, position in the pile, size of the pile.
  const ranked = async (piles: { pile: RawBuilder<unknown>; order: string; where: RawBuilder<boolean>; perArea: boolean }) => {
    const partition = sql.raw(piles.perArea ? 'area_id, pile' : 'pile');
    // Only the columns the ranking reads, so that the index covers them.
    const columns = sql.raw(['reports.id', 'reports.area_id', ...piles.order.split(', ').filter((name) => name !== 'id').map((name) => `reports.${name}`)].join(', '));
    const { rows } = await sql<Ranked>`
      select id, pile, area_id, position, total from (
        select id, pile, area_id,
          row_number() over (partition by ${partition} order by ${sql.raw(piles.order)}) as position,
          count(*) over (partition by ${partition}) as total
        from (select ${columns}, ${piles.pile} as pile from reports where ${piles.where} and ${inAreas}) as piled
      ) as ranked where position <= ${limit}`.execute(db);
    return rows;
  };
  const urpRows = urp
    ? [
        // Registered (index reports_open_assign_due); returned ones told apart by their event. By assignment deadline.
        ...(await ranked({
          pile: sql`case when exists (select 1 from report_events e where e.report_id = reports.id and e.kind = 'returned') then 'returned' else 'toAssign' end`,
          order: 'assign_due_at, number',
          where: unassignedSql('reports'),
          perArea: false,
        })),
        // Answered, not closed (index reports_open_area): the oldest registered first.
        ...(await ranked({ pile: sql`'toClose'`, order: 'id', where: sql<boolean>`${queuedSql('reports')} and reports.status = 'answered'`, perArea: false })),
      ].map((row) => ({ ...row, area_id: null }))
    : [];
  // The areas' piles (index reports_open_reply_due), by reply deadline.
  const areaRows = await ranked({
    pile: sql`case reports.status when 'assigned' then 'toAcknowledge' when 'acknowledged' then 'toReply' else 'suspended' end`,
    order: 'reply_due_at, number',
    where: sql<boolean>`${openSql('reports')} and reports.status <> 'registered'`,
    perArea: true,
  });

  // Only the reports shown are read whole.
  const shown = new Map<number, Report>();
  const ids = [...urpRows, ...areaRows].map((row) => row.id);
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await reportQuery(db).where('reports.id', 'in', ids.slice(start, start + 500)).execute();
    for (const row of rows) shown.set(row.id, toReport(row, asOf));
  }
  const pile = (rows: readonly Ranked[], name: Pile, areaId: number | null) => {
    const own = rows.filter((row) => row.pile === name && row.area_id === areaId).sort((a, b) => a.position - b.position);
    return { reports: own.map((row) => shown.get(row.id)!), count: Number(own[0]?.total ?? 0) };
  };

  const areas = await db
    .selectFrom('areas')
    .select(['id', 'code', 'name'])
    .$if(only !== undefined, (query) => query.where('id', 'in', only!))
    .orderBy('code')
    .execute();
  const [toAssign, returned, toClose] = (['toAssign', 'returned', 'toClose'] as const).map((name) => pile(urpRows, name, null));
  return {
    urp: {
      toAssign: toAssign!.reports,
      returned: returned!.reports,
      toClose: toClose!.reports,
      counts: { toAssign: toAssign!.count, returned: returned!.count, toClose: toClose!.count },
    },
    areas: areas
      .map((area) => {
        const [toAcknowledge, toReply, suspended] = (['toAcknowledge', 'toReply', 'suspended'] as const).map((name) => pile(areaRows, name, area.id));
        return {
          area: area.code,
          name: area.name,
          toAcknowledge: toAcknowledge!.reports,
          toReply: toReply!.reports,
          suspended: suspended!.reports,
          counts: { toAcknowledge: toAcknowledge!.count, toReply: toReply!.count, suspended: suspended!.count },
        };
      })
      .filter((area) => only !== undefined || area.counts.toAcknowledge + area.counts.toReply + area.counts.suspended > 0),
  };
}
