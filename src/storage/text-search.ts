import type BetterSqlite3 from 'better-sqlite3';
import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { fold, foldName } from '../text/fold.js';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';

/**
 * Text search on SQLite (issue 12): two FTS5 indexes with the trigram
 * tokenizer, which finds any part of a word of three characters or more,
 * kept in step by triggers (migration 2026-12-01-005-text-search):
 *
 * - report_search: a report's subject, description and place, its
 *   citizen's name, and its number and external reference;
 * - citizen_search: a citizen's name, e-mail and phone.
 *
 * Both store only the index, never a copy of the text (contentless), and
 * fold nothing themselves (case_sensitive 1): they index what src/text/fold.ts
 * returns, through the two SQL functions below, and queries are folded by the
 * same functions, so index and query cannot disagree. An entry is removed
 * with the old values folded again, and with FTS5's secure-delete, so that
 * an erased name or a redacted subject leaves no trace in the index's pages.
 *
 * A report's row in report_search is keyed by the day it was received and
 * its id (day × 2³² + id): FTS5 hands matches back in key order, so the
 * newest matches come first without reading or sorting the others, whether
 * a word is found in no report or in a hundred thousand; the matches of the
 * last day so reached are then sorted exactly.
 *
 * This module is the only one that knows: the domain builds its queries
 * with kysely around what it returns.
 *
 * PostgreSQL has no FTS5: its searches are the conditions of
 * reportTextCondition and of the row-by-row citizen search, on the same
 * folded texts, which its trigram indexes serve (migrations/postgres/
 * 2026-12-01-005-text-search); the matches are the same.
 */

/** Whether a register's searches go through the FTS5 index (SQLite); elsewhere through conditions its own indexes serve. */
export function searchesThroughIndex(db: Kysely<Database>): boolean {
  return engineOf(db) === 'sqlite';
}

/** SQL functions the triggers and the queries call (registered on every connection by database.ts). */
export const FOLD_TEXT_FUNCTION = 'urp_fold';
export const FOLD_NAME_FUNCTION = 'urp_fold_name';

const foldOrNull = (rule: (text: string) => string) => (text: unknown) => (typeof text === 'string' ? rule(text) : null);

export function registerSearchFunctions(sqlite: BetterSqlite3.Database): void {
  sqlite.function(FOLD_TEXT_FUNCTION, { deterministic: true }, foldOrNull(fold));
  sqlite.function(FOLD_NAME_FUNCTION, { deterministic: true }, foldOrNull(foldName));
}

/**
 * Indexes the reports a writer has just inserted with ids from `first` to
 * `last`, in one statement (the index's other changes follow from triggers;
 * the encoding of a row is the migration's, field for field).
 */
export async function indexNewReports(db: Kysely<Database>, first: number, last: number): Promise<void> {
  // PostgreSQL's indexes are its own, on the reports table: nothing to add.
  if (last < first || !searchesThroughIndex(db)) return;
  await sql`insert into report_search(rowid, subject, description, location, citizen, ref)
    select ((cast(strftime('%s', r.received_at) as integer) + 2208988800) / 86400) * 4294967296 + r.id,
      urp_fold(r.subject), urp_fold(r.description), urp_fold(r.location),
      urp_fold_name(c.last_name || ' ' || c.first_name),
      char(1) || r.number || char(1) || coalesce(urp_fold(r.external_ref) || char(1), '')
    from reports r join citizens c on c.id = r.citizen_id where r.id between ${first} and ${last}`.execute(db);
}

/**
 * Indexes every report of a register whose rows were copied in (db copy,
 * a server's backup): the copy writes the tables, not the index.
 */
export async function indexAllReports(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ first: number | null; last: number | null }>`select min(id) as first, max(id) as last from reports`.execute(db);
  if (rows[0]?.first != null && rows[0].last != null) await indexNewReports(db, Number(rows[0].first), Number(rows[0].last));
}

/** The trigram tokenizer needs three characters to find anything. */
const SHORTEST = 3;
/** Delimits the number and the reference in their column, so that a search for one matches it whole, never a part of it. */
const WHOLE = '\u0001';

/** An FTS5 string: the text in double quotes, its own double quotes doubled. */
const phrase = (text: string) => `"${text.replace(/"/g, '""')}"`;
const length = (text: string) => [...text].length;

export interface ReportTextSearch {
  /** As typed. */
  readonly text: string;
  /** Report numbers the text stands for (`301` and `2026/301` for 2026/000301), found whole. */
  readonly numbers: readonly string[];
  /** PostgreSQL: the citizens whose name holds the text's words, already looked up (withNamedCitizens). */
  readonly citizenIds?: readonly number[] | undefined;
}

/**
 * The FTS5 query of a report search: the text as a part of the subject,
 * description or place; the words of a name, in any order, in the citizen's
 * name; the text (or a number it stands for) as the whole number or
 * reference. Undefined when the index cannot answer (the text is shorter
 * than three characters once folded): the caller then searches row by row.
 */
export function reportMatchQuery(search: ReportTextSearch): string | undefined {
  const text = fold(search.text);
  if (length(text) < SHORTEST) return undefined;
  const alternatives = [`{subject description location} : ${phrase(text)}`];
  const words = foldName(search.text).split(' ').filter(Boolean);
  // A name's words are looked for only when each is long enough for the index (Rossi, "Rossi Mario", "Rossi, Mario").
  if (words.length > 0 && words.every((word) => length(word) >= SHORTEST)) {
    alternatives.push(`{citizen} : (${words.map(phrase).join(' AND ')})`);
  }
  for (const whole of new Set([text, ...search.numbers])) alternatives.push(`{ref} : ${phrase(`${WHOLE}${fold(whole)}${WHOLE}`)}`);
  return alternatives.join(' OR ');
}

/** `%text%` for LIKE, the text's own % and _ taken literally (citizens type underscores and percent signs too). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * The same matches as reportMatchQuery's, as a condition on a report's row:
 * where the index cannot answer (a text of one or two characters), and on
 * PostgreSQL, whose trigram indexes serve it (the subject, description and
 * place as one folded text, marks between them so that nothing is found
 * across two; the citizen's name; the number and the folded reference whole).
 * `rowByRow`: the condition tested on each row even on PostgreSQL, for a
 * query that reads only a few rows anyway (the newest reports, below).
 */
export function reportTextCondition(db: Kysely<Database>, search: ReportTextSearch, { rowByRow = false }: { rowByRow?: boolean } = {}): RawBuilder<boolean> {
  const text = fold(search.text);
  const pattern = containsPattern(text);
  const texts = sql`(${sql.join(['subject', 'description', 'location'].map((column) => sql`${sql.raw(FOLD_TEXT_FUNCTION)}(${sql.ref(`reports.${column}`)}) like ${pattern} escape '\\'`), sql` or `)})`;
  const nameHolds = citizenNameCondition(search.text);
  // The citizens a name stands for: as looked up already (an array, PostgreSQL), or looked up here.
  const given = search.citizenIds && sql`${sql.val([...search.citizenIds])}::integer[]`;
  const nameArm = given ? sql`reports.citizen_id = any(${given})` : nameHolds && sql`reports.citizen_id in (select c.id from citizens c where ${nameHolds})`;
  const wholes = [...new Set([text, ...search.numbers.map(fold)])];
  const numbers = sql.join([search.text.trim(), ...wholes]);
  const references = sql.join(wholes);
  if (searchesThroughIndex(db) || rowByRow) {
    return sql<boolean>`(${sql.join(
      [
        texts,
        ...(nameArm ? [nameArm] : []),
        sql`reports.number in (${numbers})`,
        sql`${sql.raw(FOLD_TEXT_FUNCTION)}(reports.external_ref) in (${references})`,
      ],
      sql` or `,
    )})`;
  }
  // PostgreSQL: each alternative through its own index, the ids gathered into an array the server computes once
  // (as one condition with OR, the planner may rather walk every report newest first and test each).
  const arms = reportTextArms(search).map((arm) => sql`select reports.id from reports where ${arm}`);
  return sql<boolean>`reports.id = any(array(${sql.join(arms, sql` union all `)}))`;
}

/**
 * PostgreSQL: the alternatives of a search, each a condition on a report
 * (`reports`) that one index serves: the folded texts (trigrams), the
 * citizens of the name (given, or looked up), the number, the reference.
 */
export function reportTextArms(search: ReportTextSearch): RawBuilder<boolean>[] {
  const text = fold(search.text);
  const nameHolds = citizenNameCondition(search.text);
  const given = search.citizenIds && sql`${sql.val([...search.citizenIds])}::integer[]`;
  const nameGathered = given ? sql<boolean>`reports.citizen_id = any(${given})` : nameHolds && sql<boolean>`reports.citizen_id = any(array(select c.id from citizens c where ${nameHolds}))`;
  const wholes = [...new Set([text, ...search.numbers.map(fold)])];
  return [
    sql<boolean>`urp_report_text(reports.subject, reports.description, reports.location) like ${containsPattern(text)} escape '\\'`,
    ...(nameGathered ? [nameGathered] : []),
    sql<boolean>`reports.number in (${sql.join([search.text.trim(), ...wholes])})`,
    sql<boolean>`${sql.raw(FOLD_TEXT_FUNCTION)}(reports.external_ref) in (${sql.join(wholes)})`,
  ];
}

/** A citizen's name (alias c) holds every word of the text, when each is long enough for the index, as reportMatchQuery looks for them. */
function citizenNameCondition(text: string): RawBuilder<boolean> | undefined {
  const words = foldName(text).split(' ').filter(Boolean);
  if (words.length === 0 || !words.every((word) => length(word) >= SHORTEST)) return undefined;
  return sql<boolean>`${sql.join(words.map((word) => sql`${sql.raw(FOLD_NAME_FUNCTION)}(c.last_name || ' ' || c.first_name) like ${containsPattern(word)} escape '\\'`), sql` and `)}`;
}

/**
 * PostgreSQL: the search with the citizens its words name looked up once,
 * through the name's trigram index, for a listing that sends two queries
 * (the first look below, then the gathering): each then tests an array of
 * ids instead of looking every name up again.
 */
export async function withNamedCitizens(db: Kysely<Database>, search: ReportTextSearch): Promise<ReportTextSearch> {
  const nameHolds = citizenNameCondition(search.text);
  if (!nameHolds) return search;
  const { rows } = await sql<{ id: number | string }>`select c.id from citizens c where ${nameHolds}`.execute(db);
  return { ...search, citizenIds: rows.map((row) => Number(row.id)) };
}

/**
 * PostgreSQL, a listing with a limit: the newest reports a search first
 * looks among (in the listing's order), testing each row. When as many as
 * the limit match there, they are the newest matches of all, found without
 * gathering every match of a common word; else the search gathers them
 * through the indexes (a word in few reports, or none).
 */
export const NEWEST_FIRST_LOOK = 2_000;

/** The alias of the index in a report query: its `rowid` is the key described above. */
export const MATCHES = 's';
type MatchSource = { [MATCHES]: { rowid: number } };

/**
 * The reports matching an FTS5 query, as the start of a query: the index is
 * the outer loop (SQLite's CROSS JOIN keeps it there), each match joined to
 * its report by id.
 */
export function reportMatches(db: Kysely<Database>, query: string): SelectQueryBuilder<Database & MatchSource, 'reports' | typeof MATCHES, object> {
  return (db as unknown as Kysely<Database & MatchSource>)
    .selectFrom(sql<{ rowid: number }>`report_search(${query})`.as(MATCHES))
    .crossJoin('reports')
    .where(sql<boolean>`reports.id = (${sql.ref(`${MATCHES}.rowid`)} & 4294967295)`);
}

/** The key of a match: ordered by day of receipt, then id. Sorting by it descending costs nothing. */
export const matchKey: RawBuilder<number> = sql<number>`${sql.ref(`${MATCHES}.rowid`)}`;

/** The day of receipt a match is keyed by (a small number: the key itself needs more digits than JavaScript keeps). */
export const matchDay: RawBuilder<number> = sql<number>`(${sql.ref(`${MATCHES}.rowid`)} >> 32)`;

/** Matches received on that day or later (FTS5 reads only their range of keys). */
export function matchesFromDay(day: number): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${MATCHES}.rowid`)} >= (${day} << 32)`;
}

/**
 * Citizens whose name holds the words of a text long enough for the index,
 * in any order (the caller checks the shorter ones: citizenNameContains);
 * undefined when every word is shorter.
 */
export function citizenNameMatchQuery(text: string): { query: string; shortWords: string[] } | undefined {
  const words = foldName(text).split(' ').filter(Boolean);
  const long = words.filter((word) => length(word) >= SHORTEST);
  if (long.length === 0) return undefined;
  return { query: `{name} : (${long.map(phrase).join(' AND ')})`, shortWords: words.filter((word) => length(word) < SHORTEST) };
}

/** Citizens whose e-mail or phone holds the text (at least three characters). */
export function citizenContactMatchQuery(column: 'email' | 'phone', text: string): string | undefined {
  const folded = fold(text);
  return length(folded) < SHORTEST ? undefined : `{${column}} : ${phrase(folded)}`;
}

/** A citizen's name, folded as the index folds it, holds this part (read row by row). */
export function citizenNameContains(part: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.raw(FOLD_NAME_FUNCTION)}(citizens.last_name || ' ' || citizens.first_name) like ${containsPattern(foldName(part))} escape '\\'`;
}

/**
 * A citizen search's condition as PostgreSQL's trigram indexes answer it:
 * the matching ids gathered first through the indexes (an array the server
 * computes once), then the rows; given as it is, the planner may rather walk
 * the citizens in the listing's order and test each against the condition,
 * which for a text no citizen has means all of them. SQLite: unchanged.
 */
export function citizensThroughIndexes(db: Kysely<Database>, condition: Expression<SqlBool>): Expression<SqlBool> {
  if (searchesThroughIndex(db)) return condition;
  return sql<SqlBool>`citizens.id = any(array(select citizens.id from citizens where ${condition}))`;
}

/** `citizens.id in (the matches of an FTS5 query on citizen_search)`. */
export function citizenMatches(query: string): RawBuilder<boolean> {
  return sql<boolean>`citizens.id in (select rowid from citizen_search(${query}))`;
}
