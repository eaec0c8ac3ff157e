import { type Kysely, sql } from 'kysely';
import type { Database } from '../storage/schema.js';
import { deadlineCalculator } from './deadlines.js';
import type { Settings } from './settings.js';

/**
 * `urp db check` (issue 6): SQLite's own integrity and foreign-key checks,
 * then the domain's invariants. Each problem is one readable line; no
 * personal data appears in them (reports are named by number).
 */
export interface Problem {
  readonly check: string;
  readonly detail: string;
}

const SAMPLE = 20;

export async function checkDatabase(db: Kysely<Database>, settings: Settings, now: Date): Promise<Problem[]> {
  const problems: Problem[] = [];
  const add = (check: string, details: string[]) => {
    for (const detail of details.slice(0, SAMPLE)) problems.push({ check, detail });
    if (details.length > SAMPLE) problems.push({ check, detail: `... and ${details.length - SAMPLE} more` });
  };

  const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  const integrityLines = integrity.rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  add('integrity', integrityLines);
  if (integrityLines.length > 0) return problems; // a damaged file: the rest would only repeat it

  const foreignKeys = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db);
  add('foreign keys', foreignKeys.rows.map((row) => `${row.table} row ${row.rowid} refers to a missing ${row.parent}`));

  const unregistered = await db
    .selectFrom('reports as r')
    .select('r.number')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('report_events as e').select('e.id').whereRef('e.report_id', '=', 'r.id').where('e.kind', '=', 'registered'))),
    )
    .execute();
  add('registered event', unregistered.map((row) => `report ${row.number} has no "registered" event`));

  // The status is the one its last transition set (notes repeat it; erasures set none).
  const statuses = await db
    .selectFrom('reports as r')
    .select((eb) => [
      'r.number',
      'r.status',
      eb
        .selectFrom('report_events as e')
        .select('e.to_status')
        .whereRef('e.report_id', '=', 'r.id')
        .where('e.to_status', 'is not', null)
        .orderBy('e.id', 'desc')
        .limit(1)
        .as('last_status'),
    ])
    .execute();
  add(
    'status',
    statuses
      .filter((row) => row.last_status !== row.status)
      .map((row) => `report ${row.number} is "${row.status}" but its last event set "${row.last_status ?? 'nothing'}"`),
  );

  // Numbers per year: unique (the schema enforces it) and gap-free, except where an import kept given numbers.
  const years = await db
    .selectFrom('reports as r')
    .select((eb) => [
      'r.year',
      eb.fn.count<number>('r.id').as('count'),
      eb.fn.max('r.sequence').as('highest'),
    ])
    .groupBy('r.year')
    .execute();
  const importedYears = new Set(
    (
      await db
        .selectFrom('reports as r')
        .innerJoin('report_events as e', 'e.report_id', 'r.id')
        .select('r.year')
        .where('e.kind', '=', 'registered')
        .where('e.source', '=', 'import')
        .distinct()
        .execute()
    ).map((row) => row.year),
  );
  const sequences = new Map((await db.selectFrom('report_sequences').selectAll().execute()).map((row) => [row.year, row.last_value]));
  add(
    'numbers',
    years.flatMap((row) => {
      const found: string[] = [];
      const highest = Number(row.highest);
      const count = Number(row.count);
      // Unique numbers from 1 are gap-free exactly when the highest equals the count.
      if (!importedYears.has(row.year) && highest !== count) {
        found.push(`year ${row.year}: ${highest - count} numbers missing (highest ${highest}, ${count} reports)`);
      }
      if ((sequences.get(row.year) ?? 0) < highest) {
        found.push(`year ${row.year}: the sequence (${sequences.get(row.year) ?? 0}) is behind the highest number (${highest})`);
      }
      return found;
    }),
  );

  // Deadlines, recomputed from their clocks, for reports counted after the last change of a deadline setting.
  const lastChange = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('kind', '=', 'setting_changed')
    .where('subject', 'in', ['setting:assign-hours', 'setting:reply-days', 'setting:local-holidays', 'setting:time-zone'])
    .executeTakeFirst();
  const since = lastChange?.at ?? '';
  const deadlines = deadlineCalculator(settings);
  const clocks = await db
    .selectFrom('reports')
    .select(['number', 'received_at', 'registered_at', 'assign_counted_from', 'assign_due_at', 'reply_counted_from', 'reply_due_at', 'suspended_days'])
    .execute();
  add(
    'deadlines',
    clocks.flatMap((row) => {
      const found: string[] = [];
      if (row.received_at > row.registered_at) found.push(`report ${row.number} was received after it was registered`);
      if (row.assign_counted_from >= since && deadlines.assignDue(new Date(row.assign_counted_from)).toISOString() !== row.assign_due_at) {
        found.push(`report ${row.number}: assignment deadline ${row.assign_due_at} does not follow from its clock`);
      }
      if (row.reply_counted_from >= since && deadlines.replyDue(new Date(row.reply_counted_from), row.suspended_days).toISOString() !== row.reply_due_at) {
        found.push(`report ${row.number}: reply deadline ${row.reply_due_at} does not follow from its clock and ${row.suspended_days} suspended days`);
      }
      return found;
    }),
  );

  const future = await db
    .selectFrom('report_events as e')
    .innerJoin('reports as r', 'r.id', 'e.report_id')
    .select(['r.number', 'e.kind', 'e.occurred_at'])
    .where((eb) => eb.or([eb('e.occurred_at', '>', now.toISOString()), eb('e.recorded_at', '>', now.toISOString())]))
    .execute();
  add('events', future.map((row) => `report ${row.number}: "${row.kind}" event dated ${row.occurred_at}, after now`));

  return problems;
}
