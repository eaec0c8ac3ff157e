import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { lateToAssignSql, lateToReplySql, replyClockSql, unassignedSql } from './report-state.js';
import type { Channel, ReportType, Status } from './vocabulary.js';
import { compareCodes } from '../text/compare.js';

/**
 * The morning printout (SPEC section 4, issue 4): reports late to assign,
 * late to reply, and due soon, as of a moment. The queries read only open
 * reports through partial indexes, so the printout costs the same on ten
 * years of history as on one month.
 */
export interface OverdueEntry {
  readonly number: string;
  readonly type: ReportType;
  readonly channel: Channel;
  readonly status: Status;
  readonly area: string | null;
  readonly areaName: string | null;
  readonly category: string | null;
  readonly subject: string;
  readonly receivedAt: string;
  /** Which deadline: assignment or reply. */
  readonly deadline: 'assign' | 'reply';
  readonly dueAt: string;
  /** Seconds past the deadline (negative: seconds left). */
  readonly lateSeconds: number;
  readonly citizen?: { id: number; firstName: string; lastName: string; email: string | null; phone: string | null };
}

export interface Overdue {
  readonly asOf: string;
  readonly lateToAssign: OverdueEntry[];
  readonly lateToReply: OverdueEntry[];
  readonly dueSoon: OverdueEntry[];
}

export interface OverdueOptions {
  /** Only these areas (an --area, or an area operator's own areas). */
  readonly areaIds?: readonly number[] | undefined;
  /** Days ahead for "due soon". */
  readonly soonDays: number;
  readonly withCitizen?: boolean | undefined;
}


export async function overdue(db: Kysely<Database>, asOf: Date, options: OverdueOptions): Promise<Overdue> {
  const now = asOf.toISOString();
  const soon = new Date(asOf.getTime() + options.soonDays * 86_400_000).toISOString();
  // Only the columns the printout shows: with a few thousand late reports,
  // building rows of thirty columns costs more than finding them.
  // Areas and categories are a few dozen rows: looked up here rather than joined row by row.
  const [areaRows, categoryRows] = await Promise.all([
    db.selectFrom('areas').select(['id', 'code', 'name']).execute(),
    db.selectFrom('categories').select(['id', 'code']).execute(),
  ]);
  const areas = new Map(areaRows.map((area) => [area.id, area]));
  const categories = new Map(categoryRows.map((category) => [category.id, category.code]));
  const base = () =>
    db
      .selectFrom('reports')
      .select([
        'reports.number',
        'reports.type',
        'reports.channel',
        'reports.status',
        'reports.subject',
        'reports.area_id',
        'reports.category_id',
        'reports.received_at',
        'reports.assign_due_at',
        'reports.reply_due_at',
        'reports.citizen_id',
      ])
      .$if(options.withCitizen === true, (query) =>
        query
          .innerJoin('citizens', 'citizens.id', 'reports.citizen_id')
          .select(['citizens.first_name as citizen_first_name', 'citizens.last_name as citizen_last_name', 'citizens.email as citizen_email', 'citizens.phone as citizen_phone']),
      )
      .$if(options.areaIds !== undefined, (query) => query.where('reports.area_id', 'in', options.areaIds!.length ? options.areaIds! : [-1]));

  const [lateAssign, lateReply, soonAssign, soonReply] = await Promise.all([
    // The predicates of report-state.ts: literal statuses, as the partial indexes write them, so that SQLite reads those.
    base().where(lateToAssignSql(now, 'reports')).orderBy('reports.assign_due_at').orderBy('reports.number').execute(),
    base().where(lateToReplySql(now, 'reports')).orderBy('reports.reply_due_at').orderBy('reports.number').execute(),
    base().where(unassignedSql('reports')).where('reports.assign_due_at', '>=', now).where('reports.assign_due_at', '<=', soon).execute(),
    base().where(replyClockSql('reports')).where('reports.reply_due_at', '>=', now).where('reports.reply_due_at', '<=', soon).execute(),
  ]);

  type Row = (typeof lateAssign)[number] & Partial<Record<'citizen_first_name' | 'citizen_last_name' | 'citizen_email' | 'citizen_phone', string | null>>;
  const entry = (row: Row, deadline: 'assign' | 'reply'): OverdueEntry => {
    const dueAt = deadline === 'assign' ? row.assign_due_at : row.reply_due_at;
    return {
      number: row.number,
      type: row.type as ReportType,
      channel: row.channel as Channel,
      status: row.status as Status,
      area: row.area_id === null ? null : (areas.get(row.area_id)?.code ?? null),
      areaName: row.area_id === null ? null : (areas.get(row.area_id)?.name ?? null),
      category: row.category_id === null ? null : (categories.get(row.category_id) ?? null),
      subject: row.subject,
      receivedAt: row.received_at,
      deadline,
      dueAt,
      lateSeconds: Math.floor((asOf.getTime() - Date.parse(dueAt)) / 1000),
      ...(options.withCitizen && {
        citizen: {
          id: row.citizen_id,
          firstName: row.citizen_first_name ?? '',
          lastName: row.citizen_last_name ?? '',
          email: row.citizen_email ?? null,
          phone: row.citizen_phone ?? null,
        },
      }),
    };
  };
  const dueSoon = [...soonAssign.map((row) => entry(row, 'assign')), ...soonReply.map((row) => entry(row, 'reply'))].sort(
    (a, b) => compareCodes(a.dueAt, b.dueAt) || compareCodes(a.number, b.number),
  );
  return {
    asOf: now,
    lateToAssign: lateAssign.map((row) => entry(row, 'assign')),
    lateToReply: lateReply.map((row) => entry(row, 'reply')),
    dueSoon,
  };
}
