import { type Kysely, sql } from 'kysely';

/**
 * Text search with an index (issue 12): two SQLite FTS5 tables with the
 * trigram tokenizer (any part of a word of three characters or more),
 * kept in step by triggers, built here for the reports and citizens a
 * register already holds.
 *
 * - report_search: subject, description, place, the citizen's name, and the
 *   number and external reference (between \u0001 marks, so that they are
 *   found whole). Its rowid is the day of receipt (UTC days since 1900) × 2³²
 *   + the report's id: FTS5 returns matches in rowid order, so the newest come
 *   first at no cost (a day, not a finer unit: the index stores the gaps
 *   between the rowids of a word's matches, and matches of one day are close).
 * - citizen_search: a citizen's name ("last first"), e-mail and phone;
 *   rowid = the citizen's id.
 *
 * New reports are indexed by the one writer of new reports, a batch at a
 * time with one statement (src/storage/text-search.ts indexNewReports: three
 * times faster than a trigger row by row, which an import of history would
 * feel); a change to a report's texts, to its citizen's name or contacts,
 * and every citizen, are kept in step by the triggers below.
 *
 * Contentless (content=''): only the index is stored, never a copy of the
 * text. Nothing is folded by FTS5 (case_sensitive 1): the text is folded by
 * the two functions urp registers on every connection, urp_fold (lower
 * case, no accents, one space) and urp_fold_name (the same, apostrophes
 * dropped, punctuation as spaces). An entry is removed with FTS5's 'delete'
 * command and the old values folded again; with secure-delete on, the
 * removed entries leave the index's pages (a GDPR erasure must leave no
 * trace of a name or a redacted subject).
 *
 * Frozen in time: typed Kysely<any>, imports nothing from the application.
 */
const REPORT_KEY = (row: 'new' | 'old' | 'r') =>
  `(((cast(strftime('%s', ${row}.received_at) as integer) + 2208988800) / 86400) * 4294967296 + ${row}.id)`;
const NAME = (row: string) => `urp_fold_name(${row}.last_name || ' ' || ${row}.first_name)`;
const REF = (row: string) => `char(1) || ${row}.number || char(1) || coalesce(urp_fold(${row}.external_ref) || char(1), '')`;
/** A report's indexed values, its citizen's name from `name`. */
const REPORT_VALUES = (row: 'new' | 'old' | 'r', name: string) =>
  `${REPORT_KEY(row)}, urp_fold(${row}.subject), urp_fold(${row}.description), urp_fold(${row}.location), ${name}, ${REF(row)}`;
const CITIZEN_OF = (row: 'new' | 'old') => `(select ${NAME('c')} from citizens c where c.id = ${row}.citizen_id)`;
const CITIZEN_VALUES = (row: 'new' | 'old') => `${row}.id, ${NAME(row)}, urp_fold(${row}.email), ${row}.phone`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table report_search using fts5(subject, description, location, citizen, ref, content='', tokenize='trigram case_sensitive 1')`.execute(db);
  await sql`create virtual table citizen_search using fts5(name, email, phone, content='', tokenize='trigram case_sensitive 1')`.execute(db);
  for (const table of ['report_search', 'citizen_search']) {
    await sql.raw(`insert into ${table}(${table}, rank) values('secure-delete', 1)`).execute(db);
  }

  const reportColumns = 'rowid, subject, description, location, citizen, ref';
  const removeReport = (name: string) => `insert into report_search(report_search, ${reportColumns}) values('delete', ${REPORT_VALUES('old', name)});`;
  const addReport = (name: string) => `insert into report_search(${reportColumns}) values(${REPORT_VALUES('new', name)});`;
  await sql.raw(`create trigger reports_search_update after update of subject, description, location, citizen_id, received_at, number, external_ref on reports
    begin ${removeReport(CITIZEN_OF('old'))} ${addReport(CITIZEN_OF('new'))} end`).execute(db);
  await sql.raw(`create trigger reports_search_delete after delete on reports begin ${removeReport(CITIZEN_OF('old'))} end`).execute(db);

  const citizenColumns = 'rowid, name, email, phone';
  await sql.raw(`create trigger citizens_search_insert after insert on citizens
    begin insert into citizen_search(${citizenColumns}) values(${CITIZEN_VALUES('new')}); end`).execute(db);
  await sql.raw(`create trigger citizens_search_update after update of first_name, last_name, email, phone on citizens begin
    insert into citizen_search(citizen_search, ${citizenColumns}) values('delete', ${CITIZEN_VALUES('old')});
    insert into citizen_search(${citizenColumns}) values(${CITIZEN_VALUES('new')});
    end`).execute(db);
  await sql.raw(`create trigger citizens_search_delete after delete on citizens
    begin insert into citizen_search(citizen_search, ${citizenColumns}) values('delete', ${CITIZEN_VALUES('old')}); end`).execute(db);
  // A new name for a citizen is a new name in their reports' entries (an erasure's pseudonym above all).
  await sql.raw(`create trigger citizens_search_reports after update of first_name, last_name on citizens begin
    insert into report_search(report_search, ${reportColumns}) select 'delete', ${REPORT_VALUES('r', NAME('old'))} from reports r where r.citizen_id = old.id;
    insert into report_search(${reportColumns}) select ${REPORT_VALUES('r', NAME('new'))} from reports r where r.citizen_id = new.id;
    end`).execute(db);

  await sql.raw(`insert into citizen_search(${citizenColumns}) select id, ${NAME('citizens')}, urp_fold(email), phone from citizens`).execute(db);
  await sql.raw(`insert into report_search(${reportColumns}) select ${REPORT_VALUES('r', NAME('c'))} from reports r join citizens c on c.id = r.citizen_id`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['reports_search_update', 'reports_search_delete', 'citizens_search_insert', 'citizens_search_update', 'citizens_search_delete', 'citizens_search_reports']) {
    await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
  }
  await sql`drop table if exists report_search`.execute(db);
  await sql`drop table if exists citizen_search`.execute(db);
}
