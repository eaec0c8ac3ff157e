import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { encodedEvents } from '../storage/chain-rows.js';
import { engineChecks } from '../storage/engine-checks.js';
import { missingGuards } from '../storage/guards.js';
import { forWholeRegisterScan } from '../storage/page-cache.js';
import { streamRows } from '../storage/row-stream.js';
import type { Database } from '../storage/schema.js';
import { CHAIN_TABLES, type ChainState, type ChainTable, REPLY_SEAL_PREFIX, replySeal, verifyChain, verifyEncodedChain } from './event-chain.js';
import { REDACTED_SUBJECT, TEXTS_REDACTED } from './privacy.js';
import { deadlineCalculator } from './deadlines.js';
import { formatReportNumber } from './report-numbers.js';
import type { Settings } from './settings.js';

/**
 * `urp db check` (issue 6): SQLite's own integrity and foreign-key checks,
 * then the domain's invariants. Each problem is one readable line; no
 * personal data appears in them (reports are named by number).
 *
 * Nothing is loaded whole (issue 12): the file's own checks run on a
 * connection of their own meanwhile (storage/engine-checks.ts), the chains
 * and the deadlines are streamed a batch at a time, and the other rules are
 * queries that return only what breaks them (at most SAMPLE of it, and a
 * count), so the check of ten years of history takes what reading it takes,
 * in the memory of one month's.
 */
export interface Problem {
  readonly check: string;
  readonly detail: string;
}

const SAMPLE = 20;

/** A check's problems: the first SAMPLE named, the others counted. */
class Findings {
  readonly details: string[] = [];
  count = 0;
  add(detail: () => string | Promise<string>): Promise<void> | void {
    this.count++;
    if (this.details.length >= SAMPLE) return;
    const text = detail();
    if (typeof text === 'string') this.details.push(text);
    else return text.then((value) => void this.details.push(value));
  }
}

export async function checkDatabase(db: Kysely<Database>, settings: Settings, now: Date, path = ':memory:'): Promise<Problem[]> {
  forWholeRegisterScan(db);
  // The file's own checks take as long as reading every page: they run aside while the register's run here.
  const engine = engineChecks(db, path);
  let rules: Problem[];
  try {
    rules = await registerRules(db, settings, now);
  } catch (error) {
    // A damaged file fails here too; its integrity check says why.
    const { integrity } = await engine.catch(() => ({ integrity: [] as string[] }));
    if (integrity.length > 0) return listed('integrity', integrity);
    throw error;
  }
  const { integrity, missingParents } = await engine;
  // A damaged file: the rest would only repeat it.
  if (integrity.length > 0) return listed('integrity', integrity);
  const foreignKeys = new Findings();
  for (const row of missingParents) await foreignKeys.add(async () => `${await rowName(db, row.table, row.rowid)} refers to a missing ${row.parent} row`);
  // In the order a reader expects: the legal record first (guards, chains), then references, then the rules.
  const order = ['guards', 'chain', 'foreign keys'];
  const [first, rest] = [rules.filter((problem) => order.slice(0, 2).includes(problem.check)), rules.filter((problem) => !order.slice(0, 2).includes(problem.check))];
  return [...first, ...shown('foreign keys', foreignKeys), ...rest];
}

function listed(check: string, details: readonly string[]): Problem[] {
  const findings = new Findings();
  for (const detail of details) void findings.add(() => detail);
  return shown(check, findings);
}

function shown(check: string, findings: Findings): Problem[] {
  const problems = findings.details.map((detail) => ({ check, detail }));
  if (findings.count > SAMPLE) problems.push({ check, detail: `... and ${findings.count - SAMPLE} more` });
  return problems;
}

/** The register's own rules (everything but SQLite's two checks). */
async function registerRules(db: Kysely<Database>, settings: Settings, now: Date): Promise<Problem[]> {
  const problems: Problem[] = [];
  const report = (check: string, findings: Findings) => problems.push(...shown(check, findings));

  // The legal record: its guards in place, every event chained to the one before.
  report('guards', findingsOf((await missingGuards(db)).map((name) => `the append-only guard ${name} is missing or changed`)));
  const chain = new Findings();
  for (const table of CHAIN_TABLES) {
    const state = await chainState(db, table);
    if (state.broken) {
      const what = table === 'report_events' ? await eventName(db, state.broken.id) : `audit event ${state.broken.id}`;
      await chain.add(() => `${what} does not verify (${state.broken!.reason === 'missing' ? 'it has no hash' : 'it was changed, or an event before it was removed or inserted'}): the record is not trustworthy from there on`);
    }
  }
  report('chain', chain);

  // Every report has its registered event, and the status its last transition set (notes repeat it; erasures set
  // none): one pass over the reports, each one's events looked up through their index, only the breaches returned.
  const registered = new Findings();
  const statuses = new Findings();
  const lastStatus = sql<string | null>`(select e.to_status from report_events e where e.report_id = r.id and e.to_status is not null order by e.id desc limit 1)`;
  const hasRegistered = sql<number>`exists (select 1 from report_events e where e.report_id = r.id and e.kind = 'registered')`;
  const breaching = db
    .selectFrom('reports as r')
    .select(['r.number', 'r.status', lastStatus.as('last_status'), hasRegistered.as('registered')])
    .where(sql<boolean>`not ${hasRegistered} or r.status is distinct from ${lastStatus}`)
    .orderBy('r.id');
  for await (const batch of streamRows(db, breaching)) {
    for (const row of batch) {
      if (!row.registered) void registered.add(() => `report ${row.number} has no "registered" event`);
      if (row.status !== row.last_status) void statuses.add(() => `report ${row.number} is "${row.status}" but its last event set "${row.last_status ?? 'nothing'}"`);
    }
  }
  report('registered event', registered);
  report('status', statuses);
  report('replies', await replyProblems(db));

  report('numbers', await numberProblems(db));
  report('deadlines', await deadlineProblems(db, settings));

  const instant = now.toISOString();
  report(
    'events',
    await breaches(
      db,
      db
        .selectFrom('report_events as e')
        .innerJoin('reports as r', 'r.id', 'e.report_id')
        .select(['r.number', 'e.kind', 'e.occurred_at'])
        .where((eb) => eb.or([eb('e.occurred_at', '>', instant), eb('e.recorded_at', '>', instant)]))
        .orderBy('e.id'),
      (row) => `report ${row.number}: "${row.kind}" event dated ${row.occurred_at}, after now`,
    ),
  );
  return problems;
}

/**
 * Each reply as its "answered" event sealed it (event-chain.ts replySeal): a
 * reply changed afterwards no longer matches, one removed is missing. A reply
 * blanked by an erasure with --redact-texts, which its report's timeline
 * records after the answer, is accepted so. Replies of before the seal (an
 * answered event without text) are not covered.
 */
async function replyProblems(db: Kysely<Database>): Promise<Findings> {
  const findings = new Findings();
  const redacted = sql<number>`exists (select 1 from report_events x
    where x.report_id = e.report_id and x.kind = 'citizen_erased' and x.text = ${TEXTS_REDACTED} and x.id > e.id)`;
  const sealed = db
    .selectFrom('report_events as e')
    .innerJoin('reports as r', 'r.id', 'e.report_id')
    .leftJoin('replies as p', 'p.event_id', 'e.id')
    .select(['r.number', 'e.text as seal', 'e.occurred_at', 'p.id as reply_id', 'p.text', 'p.outcome', 'p.via', redacted.as('redacted')])
    .where('e.kind', '=', 'answered')
    .where('e.text', 'like', `${REPLY_SEAL_PREFIX}%`)
    .orderBy('e.id');
  for await (const batch of streamRows(db, sealed)) {
    for (const row of batch) {
      if (row.reply_id === null) {
        void findings.add(() => `report ${row.number}: the reply of ${row.occurred_at} is missing (its "answered" event holds its seal)`);
        continue;
      }
      if (replySeal({ text: row.text!, outcome: row.outcome!, via: row.via ?? null }) === row.seal) continue;
      if (row.redacted && row.text === REDACTED_SUBJECT) continue;
      void findings.add(() => `report ${row.number}: the reply of ${row.occurred_at} is not the one its "answered" event sealed (changed after it was recorded)`);
    }
  }
  return findings;
}

function findingsOf(details: readonly string[]): Findings {
  const findings = new Findings();
  for (const detail of details) void findings.add(() => detail);
  return findings;
}

/** What breaks a rule: a query of the rows that do, of which SAMPLE are read and the rest counted. */
async function breaches<Row>(db: Kysely<Database>, query: SelectQueryBuilder<any, any, Row>, describe: (row: Row) => string): Promise<Findings> {
  const findings = new Findings();
  const rows = await query.limit(SAMPLE + 1).execute();
  for (const row of rows.slice(0, SAMPLE)) void findings.add(() => describe(row));
  findings.count = rows.length;
  if (rows.length > SAMPLE) {
    const all = await db.selectFrom(query.clearOrderBy().clearLimit().as('breaches')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    findings.count = Number(all.n);
  }
  return findings;
}

/** Numbers per year: unique (the schema enforces it) and gap-free, except where an import kept given numbers. */
async function numberProblems(db: Kysely<Database>): Promise<Findings> {
  const findings = new Findings();
  const years = await db
    .selectFrom('reports as r')
    .select((eb) => ['r.year', eb.fn.count<number>('r.id').as('count'), eb.fn.max('r.sequence').as('highest')])
    .groupBy('r.year')
    .orderBy('r.year')
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
  for (const row of years) {
    const highest = Number(row.highest);
    const count = Number(row.count);
    // Unique numbers from 1 are gap-free exactly when the highest equals the count.
    if (!importedYears.has(row.year) && highest !== count) {
      const missing: string[] = [];
      // The year's numbers in order, streamed: the first gaps are named.
      let expected = 1;
      for await (const batch of streamRows(db, db.selectFrom('reports').select('sequence').where('year', '=', row.year).orderBy('sequence'))) {
        for (const { sequence } of batch) {
          for (; expected < Number(sequence) && missing.length < SAMPLE; expected++) missing.push(formatReportNumber(row.year, expected));
          expected = Number(sequence) + 1;
        }
        if (missing.length >= SAMPLE) break;
      }
      const more = highest - count > missing.length ? ', ...' : '';
      void findings.add(() => `year ${row.year}: ${highest - count} numbers missing (highest ${highest}, ${count} reports)${missing.length > 0 ? `: ${missing.join(', ')}${more}` : ''}`);
    }
    if ((sequences.get(row.year) ?? 0) < highest) {
      void findings.add(() => `year ${row.year}: the sequence (${sequences.get(row.year) ?? 0}) is behind the highest number (${highest})`);
    }
  }
  return findings;
}

/** Deadlines, recomputed from their clocks, for reports counted after the last change of a deadline setting. */
async function deadlineProblems(db: Kysely<Database>, settings: Settings): Promise<Findings> {
  const findings = new Findings();
  const lastChange = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('kind', '=', 'setting_changed')
    // And the change of the national holidays' rules in the version that made them year by year (migration 2026-12-01-007).
    .where('subject', 'in', ['setting:assign-hours', 'setting:reply-days', 'setting:local-holidays', 'setting:time-zone', 'setting:national-holidays'])
    .executeTakeFirst();
  const since = lastChange?.at ?? '';
  const deadlines = deadlineCalculator(settings);
  const clocks = db
    .selectFrom('reports')
    .select(['number', 'received_at', 'registered_at', 'assign_counted_from', 'assign_due_at', 'reply_counted_from', 'reply_due_at', 'suspended_days'])
    .where((eb) => eb.or([eb('received_at', '>', eb.ref('registered_at')), eb('assign_counted_from', '>=', since), eb('reply_counted_from', '>=', since)]))
    .orderBy('id');
  for await (const batch of streamRows(db, clocks, 2000)) {
    for (const row of batch) {
      if (row.received_at > row.registered_at) void findings.add(() => `report ${row.number} was received after it was registered`);
      if (row.assign_counted_from >= since && deadlines.assignDue(new Date(row.assign_counted_from)).toISOString() !== row.assign_due_at) {
        void findings.add(() => `report ${row.number}: assignment deadline ${row.assign_due_at} does not follow from its clock`);
      }
      if (row.reply_counted_from >= since && deadlines.replyDue(new Date(row.reply_counted_from), row.suspended_days).toISOString() !== row.reply_due_at) {
        void findings.add(() => `report ${row.number}: reply deadline ${row.reply_due_at} does not follow from its clock and ${row.suspended_days} suspended days`);
      }
    }
  }
  return findings;
}

/** The state of one chain, read in id order without holding it in memory. */
export async function chainState(db: Kysely<Database>, table: ChainTable): Promise<ChainState> {
  // On SQLite the engine writes each event's canonical encoding itself (two strings an event instead of a dozen values).
  const encoded = encodedEvents(db, table);
  if (encoded) return verifyEncodedChain(encoded);
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
