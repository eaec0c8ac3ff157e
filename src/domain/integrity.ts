import { type Kysely, sql } from 'kysely';
import { integrityProblems, missingParents } from '../storage/engine-checks.js';
import { missingGuards } from '../storage/guards.js';
import type { Database } from '../storage/schema.js';
import { CHAIN_TABLES, type ChainState, type ChainTable, verifyChain } from './event-chain.js';
import { deadlineCalculator } from './deadlines.js';
import { formatReportNumber } from './report-numbers.js';
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

  const integrityLines = await integrityProblems(db);
  add('integrity', integrityLines);
  if (integrityLines.length > 0) return problems; // a damaged file: the rest would only repeat it

  // The legal record: its guards in place, every event chained to the one before.
  add('guards', (await missingGuards(db)).map((name) => `the append-only guard ${name} is missing or changed`));
  for (const table of CHAIN_TABLES) {
    const state = await chainState(db, table);
    if (state.broken) {
      const what = table === 'report_events' ? await eventName(db, state.broken.id) : `audit event ${state.broken.id}`;
      add('chain', [`${what} does not verify (${state.broken.reason === 'missing' ? 'it has no hash' : 'it was changed, or an event before it was removed or inserted'}): the record is not trustworthy from there on`]);
    }
  }

  const foreignKeyLines: string[] = [];
  // Only the lines shown are named (add() prints SAMPLE of them and counts the rest).
  for (const [index, row] of (await missingParents(db)).entries()) {
    foreignKeyLines.push(index < SAMPLE ? `${await rowName(db, row.table, row.rowid)} refers to a missing ${row.parent} row` : '');
  }
  add('foreign keys', foreignKeyLines);

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
  const numberProblems: string[] = [];
  for (const row of years) {
    const highest = Number(row.highest);
    const count = Number(row.count);
    // Unique numbers from 1 are gap-free exactly when the highest equals the count.
    if (!importedYears.has(row.year) && highest !== count) {
      const taken = new Set(
        (await db.selectFrom('reports').select('sequence').where('year', '=', row.year).execute()).map((each) => Number(each.sequence)),
      );
      const missing: string[] = [];
      for (let sequence = 1; sequence <= highest && missing.length < SAMPLE; sequence++) {
        if (!taken.has(sequence)) missing.push(formatReportNumber(row.year, sequence));
      }
      const more = highest - count > missing.length ? ', ...' : '';
      numberProblems.push(`year ${row.year}: ${highest - count} numbers missing (highest ${highest}, ${count} reports)${missing.length > 0 ? `: ${missing.join(', ')}${more}` : ''}`);
    }
    if ((sequences.get(row.year) ?? 0) < highest) {
      numberProblems.push(`year ${row.year}: the sequence (${sequences.get(row.year) ?? 0}) is behind the highest number (${highest})`);
    }
  }
  add('numbers', numberProblems);

  // Deadlines, recomputed from their clocks, for reports counted after the last change of a deadline setting.
  const lastChange = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('kind', '=', 'setting_changed')
    // And the change of the national holidays' rules in the version that made them year by year (migration 2026-12-01-007).
    .where('subject', 'in', ['setting:assign-hours', 'setting:reply-days', 'setting:local-holidays', 'setting:time-zone', 'setting:national-holidays'])
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

/** The state of one chain, read in id order without holding it in memory. */
export async function chainState(db: Kysely<Database>, table: ChainTable): Promise<ChainState> {
  if (table === 'report_events') {
    return verifyChain(
      'report_events',
      db
        .selectFrom('report_events')
        .select(['id', 'report_id', 'kind', 'from_status', 'to_status', 'area_id', 'text', 'operator', 'entered_by', 'occurred_at', 'recorded_at', 'source', 'hash'])
        .orderBy('id')
        .stream(),
    );
  }
  return verifyChain(
    'audit_events',
    db.selectFrom('audit_events').select(['id', 'kind', 'subject', 'text', 'operator', 'entered_by', 'occurred_at', 'hash']).orderBy('id').stream(),
  );
}

/** An event named for a person: its number in the register, its kind and its report. */
async function eventName(db: Kysely<Database>, id: number): Promise<string> {
  const row = await db
    .selectFrom('report_events as e')
    .leftJoin('reports as r', 'r.id', 'e.report_id')
    .select(['e.kind', 'r.number'])
    .where('e.id', '=', id)
    .executeTakeFirst();
  return row ? `event ${id} ("${row.kind}" of report ${row.number ?? '?'})` : `event ${id}`;
}

/** A row named for a person: a report (or its event, its reply) by the report's number, else table and row id. */
async function rowName(db: Kysely<Database>, table: string, rowid: number): Promise<string> {
  const reportId =
    table === 'reports'
      ? rowid
      : table === 'report_events' || table === 'replies'
        ? (await sql<{ report_id: number }>`select report_id from ${sql.table(table)} where id = ${rowid}`.execute(db)).rows[0]?.report_id
        : undefined;
  const report = reportId === undefined ? undefined : await db.selectFrom('reports').select('number').where('id', '=', reportId).executeTakeFirst();
  const what = table === 'report_events' ? 'an event of ' : table === 'replies' ? 'a reply of ' : '';
  return report ? `${what}report ${report.number}` : `${table} row ${rowid}`;
}
