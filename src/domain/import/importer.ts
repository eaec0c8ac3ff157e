import { hash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import { escapeUnsafeLine } from '../../text/control-characters.js';
import { firstFreeId, insertMany, refreshStatistics } from '../../storage/bulk.js';
import { forBulkWrite } from '../../storage/page-cache.js';
import { heapKeeper } from './heap.js';
import type { Database } from '../../storage/schema.js';
import { writeTransaction } from '../../storage/transactions.js';
import type { Actor } from '../actor.js';
import { type Citizen, type CitizenCandidates, type CitizenData, type ContactField, EMAIL_KEY, addContacts, citizenRow, citizenSearchName, decideCitizen, toCitizen } from '../citizens.js';
import { emailMatchKey } from '../contacts.js';
import { deadlineCalculator } from '../deadlines.js';
import { echo, InputError } from '../errors.js';
import { authorize } from '../operators.js';
import { formatReportNumber } from '../report-numbers.js';
import { type NewReport, reportWriter } from '../report-writer.js';
import type { Settings } from '../settings.js';
import { COLUMNS, type ImportField, fieldForHeader } from './columns.js';
import { type ImportEncoding, type ImportFormat, type RawRecord, readRecords } from './readers.js';
import { type CodeRow, type DecidedRow, MILESTONES, type RowError, decideRow, valuesOf } from './row-decision.js';

export type { RowError } from './row-decision.js';

/**
 * `urp import`: reports from CSV, JSON or JSON Lines (SPEC section 6,
 * issues 5, 10 and 11), in two phases so that clerks go on working:
 *
 * 1. Without the write lock: the file is streamed, each row decided (a pure
 *    function, row-decision.ts: the same rules as `report new`), its citizen
 *    identified (the same rule as `report new`, decideCitizen, against the
 *    register and the earlier rows of the file), references and numbers
 *    looked up, and the rows staged in a temporary table. A bad row is
 *    counted (and handed to --rejects); by default one is enough for the
 *    whole import to be refused, before anything is written or locked.
 * 2. With the write lock, briefly: what changed meanwhile is checked again
 *    (a reference or number another clerk registered), the numbers taken,
 *    and the staged rows written in batches by the writer `report new` uses
 *    (report-writer.ts), in one transaction: all or nothing.
 *
 * Idempotent: a row whose external reference is already in the register, or
 * earlier in the file with the same content, is skipped and counted; so is a
 * row whose number is already there for the same receipt and subject (urp's
 * own export imported again).
 */
export interface ImportOptions {
  readonly path: string;
  readonly format: ImportFormat;
  readonly encoding: ImportEncoding;
  readonly dryRun: boolean;
  readonly skipInvalid: boolean;
  /** Each rejected row with its errors, as read (for the rejects file). */
  readonly onRejected?: (row: RejectedRow) => void;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface RejectedRow {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly errors: readonly RowError[];
}

export interface ImportSummary {
  readonly read: number;
  readonly imported: number;
  readonly skipped: number;
  readonly rejected: number;
  readonly citizensCreated: number;
  readonly seconds: number;
  readonly dryRun: boolean;
  /** The first errors (at most MAX_REPORTED_ERRORS). */
  readonly errors: readonly RowError[];
  readonly errorCount: number;
}

/** Thrown when an all-or-nothing import finds bad rows: nothing was written. */
export class ImportRefused extends InputError {
  constructor(readonly summary: ImportSummary) {
    super('import.refused', { count: summary.errorCount, rows: summary.rejected });
    this.name = 'ImportRefused';
  }
}

export const MAX_REPORTED_ERRORS = 50;

export const REQUIRED_COLUMNS: ImportField[] = ['type', 'channel', 'receivedAt', 'subject', 'firstName', 'lastName'];
export const CONTACT_COLUMNS: ImportField[] = ['email', 'phone', 'address'];
/** Rows decided before their citizens are looked up together, and written together. */
const CHUNK = 500;

/** The temporary tables of one import (on its own connection). */
interface ImportTables {
  import_refs: { ref: string; digest: string };
  import_staging: {
    seq: number;
    ref: string | null;
    given_number: string | null;
    year: number;
    citizen: number;
    payload: string;
  };
}
type ImportDatabase = Kysely<Database & ImportTables>;

/**
 * A staged row as phase 2 needs it: a JSON array of the decided row's
 * values, in a fixed order, dates as milliseconds (a tenth of the decided
 * row's own JSON to write and to read back, and no dates to parse).
 */
type StagedRow = [
  type: string,
  channel: string,
  subject: string,
  description: string | null,
  location: string | null,
  externalRef: string | null,
  status: DecidedRow['status'],
  categoryId: number | null,
  areaId: number | null,
  received: number,
  registered: number,
  milestones: Array<number | null>,
  outcome: DecidedRow['outcome'],
  via: DecidedRow['via'],
  replyText: string | null,
  /** The contacts the row gave a registered citizen, who lacked them. */
  contactsAdded: readonly ContactField[] | null,
];

function encodeStaged(row: DecidedRow, contactsAdded: readonly ContactField[]): string {
  const { fields } = row;
  const staged: StagedRow = [
    fields.type,
    fields.channel,
    fields.subject,
    fields.description ?? null,
    fields.location ?? null,
    fields.externalRef ?? null,
    row.status,
    row.categoryId,
    row.areaId,
    row.received.getTime(),
    row.registered.getTime(),
    MILESTONES.map((milestone) => row.milestones[milestone]?.getTime() ?? null),
    row.outcome,
    row.via,
    row.replyText,
    contactsAdded.length > 0 ? contactsAdded : null,
  ];
  return JSON.stringify(staged);
}

export async function importReports(db: Kysely<Database>, actor: Actor, settings: Settings, options: ImportOptions): Promise<ImportSummary> {
  await authorize(db, actor, 'import');
  // Temporary tables belong to a connection: the whole import runs on one.
  // A million rows in one transaction: a page cache of bounded size (storage/page-cache.ts).
  forBulkWrite(db);
  return db.connection().execute((connection) => runImport(connection as unknown as ImportDatabase, actor, settings, options));
}

async function runImport(db: ImportDatabase, actor: Actor, settings: Settings, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const keepHeap = heapKeeper();
  const register = db as unknown as Kysely<Database>;
  const codes = async (table: 'areas' | 'categories') => {
    const rows = await db.selectFrom(table).select(['id', 'code', 'name', 'active']).execute();
    return new Map<string, CodeRow>(rows.flatMap((row) => [[row.code, row], [row.name.toLowerCase(), row]]));
  };
  const [areas, categories] = await Promise.all([codes('areas'), codes('categories')]);

  await db.schema.dropTable('import_refs').ifExists().execute();
  await db.schema.dropTable('import_staging').ifExists().execute();
  await db.schema.createTable('import_refs').temporary().addColumn('ref', 'text', (c) => c.primaryKey()).addColumn('digest', 'text', (c) => c.notNull()).execute();
  await db.schema
    .createTable('import_staging')
    .temporary()
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('ref', 'text')
    .addColumn('given_number', 'text')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('citizen', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();

  // The file's own column names (for messages) and what each names.
  const columnOf = new Map<ImportField, string>();
  const fieldOf = new Map<string, ImportField | null>();
  const column = (field: ImportField) => columnOf.get(field) ?? field;
  const fieldNamed = (name: string) => {
    let field = fieldOf.get(name);
    if (field === undefined && options.format !== 'csv') {
      field = fieldForHeader(name);
      fieldOf.set(name, field ?? null);
      if (field === undefined) fieldOf.delete(name);
    }
    return field;
  };
  const context = { settings, now: actor.now, areas, categories, columnOf: column };

  let read = 0;
  let imported = 0;
  let skipped = 0;
  let rejected = 0;
  let errorCount = 0;
  const errors: RowError[] = [];
  const reject = (record: RawRecord, rowErrors: readonly RowError[]) => {
    rejected++;
    errorCount += rowErrors.length;
    for (const error of rowErrors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
    options.onRejected?.({ line: record.line, values: record.values, errors: rowErrors });
  };

  // Citizens: the new ones of this file (written in phase 2), and the keys by which later rows find them.
  const newCitizens: CitizenData[] = [];
  const keysInFile = new Map<string, number>(); // key -> citizen ref (> 0 registered id, < 0 new: -(index + 1))
  const newCitizenLines: number[] = [];
  // Contacts rows give for registered citizens who lacked them (added in phase 2).
  const additions = new Map<number, { values: Partial<CitizenData>; fields: Set<ContactField> }>();
  const numbersInFile = new Set<string>();
  let staged = 0;

  // Rows wait here, in file order (a bad one with its errors), until a chunk's citizens are looked up together.
  let chunk: Array<{ record: RawRecord; row: DecidedRow; digest: string | undefined } | { record: RawRecord; errors: readonly RowError[] }> = [];
  // A chunk's staging is written while the next one is read and decided (on a server, in parallel).
  let staging: Promise<void> = Promise.resolve();
  let flushes = 0;
  const flush = async () => {
    const waiting = chunk;
    chunk = [];
    // The references of the chunks before are staged before this chunk looks among them.
    await staging;
    if (++flushes === 2) await refreshStatistics(db, 'import_refs');
    const rows = waiting.filter((entry): entry is Extract<typeof entry, { row: DecidedRow }> => 'row' in entry);
    if (waiting.length === 0) return;
    const candidates = await registeredCandidates(register, rows.map(({ row }) => row.citizen));
    const existingRefs = await presentValues(register, 'external_ref', rows.map(({ row }) => row.fields.externalRef));
    const existingNumbers = new Map(
      (await lookUp(register, 'number', rows.map(({ row }) => row.given?.number))).map((found) => [found.number, found]),
    );
    // The references of this chunk that earlier chunks of the file already had (with their rows' digests).
    const refs = [...new Set(rows.map(({ row }) => row.fields.externalRef).filter((ref): ref is string => ref !== undefined))];
    const earlierRefs = new Map(
      refs.length === 0 ? [] : (await db.selectFrom('import_refs').select(['ref', 'digest']).where('ref', 'in', refs).execute()).map((row) => [row.ref, row.digest]),
    );
    const newRefs: ImportTables['import_refs'][] = [];
    const stage: ImportTables['import_staging'][] = [];
    for (const entry of waiting) {
      if ('errors' in entry) {
        reject(entry.record, entry.errors);
        continue;
      }
      const { record, row, digest } = entry;
      const fail = (field: ImportField, key: MessageKey, params: MessageParams = {}) => reject(record, [{ line: row.line, column: column(field), key, params }]);
      const ref = row.fields.externalRef;
      if (ref !== undefined) {
        // Idempotence: a reference already imported is skipped; the same one with other contents is an error.
        const earlier = earlierRefs.get(ref);
        if (earlier !== undefined) {
          if (earlier === digest) skipped++;
          else fail('externalRef', 'import.refConflict', { ref: echo(ref) });
          continue;
        }
        earlierRefs.set(ref, digest!);
        newRefs.push({ ref, digest: digest! });
        if (existingRefs.has(ref)) {
          skipped++;
          continue;
        }
      }
      if (row.given) {
        const existing = existingNumbers.get(row.given.number);
        // The same report (number, receipt and subject) already here: an export of this register imported again.
        if (existing && existing.received_at === row.received.toISOString() && existing.subject === row.fields.subject) {
          skipped++;
          continue;
        }
        if (existing || numbersInFile.has(row.given.number)) {
          fail('number', 'import.numberTaken', { number: row.given.number });
          continue;
        }
      }
      let citizen: number;
      let contactsAdded: readonly ContactField[] = [];
      try {
        ({ ref: citizen, added: contactsAdded } = identify(row.citizen, candidates, row.line));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const field = (error.field as ImportField | undefined) ?? 'email';
        // A person first met on an earlier row of the file is named by that line, not by a number they do not have yet.
        const earlier = [error.params.id, error.params.other].map(Number).find((id) => id < 0);
        if (earlier !== undefined) fail(field, 'import.belongsToEarlierRow', { line: newCitizenLines[-earlier - 1]! });
        else fail(field, error.key, error.params);
        continue;
      }
      if (row.given) numbersInFile.add(row.given.number);
      imported++;
      if (options.dryRun || (errorCount > 0 && !options.skipInvalid)) continue;
      // The report whose row gave a registered citizen new contacts says so on its timeline, as report new does.
      stage.push({ seq: ++staged, ref: ref ?? null, given_number: row.given?.number ?? null, year: row.year, citizen, payload: encodeStaged(row, contactsAdded) });
    }
    staging = (async () => {
      await insertMany(db as never, 'import_refs' as never, newRefs as never);
      await insertMany(db as never, 'import_staging' as never, stage as never);
    })();
    // Awaited by the next flush (or after the last): a failure is not lost, nor reported twice.
    staging.catch(() => undefined);
  };

  /** The citizen a row is about: registered (id), new in this file (-(index + 1)), or refused (InputError). */
  const identify = (data: CitizenData, registered: RegisteredCandidates, line: number): { ref: number; added: readonly ContactField[] } => {
    const keys = citizenKeys(data);
    const known = keys.map((key) => keysInFile.get(key)).find((ref) => ref !== undefined);
    const asCitizen = (ref: number): Citizen => {
      const source = ref < 0 ? newCitizens[-ref - 1]! : { ...registered.byId.get(ref)!, ...additions.get(ref)?.values };
      return { id: ref, createdAt: '', erasedAt: null, ...source, taxCode: source.taxCode ?? null, email: source.email ?? null, pec: source.pec ?? null, phone: source.phone ?? null, address: source.address ?? null };
    };
    // The file's own earlier rows come first: they may have given this person contacts the register lacks.
    const fromFile: CitizenCandidates = known === undefined ? {} : candidatesAmong([asCitizen(known)], data);
    const fromRegister = candidatesAmong([...registered.matching(data)].map((citizen) => asCitizen(citizen.id)), data);
    const identified = decideCitizen(data, {
      byTaxCode: fromFile.byTaxCode ?? fromRegister.byTaxCode,
      byEmail: fromFile.byEmail ?? fromRegister.byEmail,
      byPec: fromFile.byPec ?? fromRegister.byPec,
      byPhone: [...(fromFile.byPhone ?? []), ...(fromRegister.byPhone ?? [])],
    });
    let ref: number;
    let added: readonly ContactField[] = [];
    if (identified.kind === 'new') {
      newCitizens.push(data);
      newCitizenLines.push(line);
      ref = -newCitizens.length;
    } else {
      ref = identified.citizen.id;
      if (identified.additions.length > 0) {
        if (ref < 0) {
          const pending = newCitizens[-ref - 1]!;
          newCitizens[-ref - 1] = { ...pending, ...Object.fromEntries(identified.additions.map((field) => [field, data[field]])) };
        } else {
          added = identified.additions;
          const entry = additions.get(ref) ?? { values: {}, fields: new Set<ContactField>() };
          for (const field of identified.additions) {
            entry.fields.add(field);
            entry.values = { ...entry.values, [field]: data[field] };
          }
          additions.set(ref, entry);
        }
      }
    }
    for (const key of citizenKeys(ref < 0 ? newCitizens[-ref - 1]! : data)) if (!keysInFile.has(key)) keysInFile.set(key, ref);
    return { ref, added };
  };

  let blankRow: Record<string, string> = {};
  try {
    await readRecords(options.path, options.format, options.encoding, {
      header(names) {
        if (options.format !== 'csv') return;
        blankRow = Object.fromEntries(names.map((name) => [name, '']));
        // A first line that names no column at all is data (the header is missing): not echoed, it may be personal.
        if (names.length > 1 && names.every((name) => fieldForHeader(name) === undefined)) throw missingColumns(REQUIRED_COLUMNS);
        const seen = new Set<ImportField | null>();
        for (const name of names) {
          const field = fieldForHeader(name);
          if (field === undefined) throw new InputError('import.unknownColumn', { column: printable(name) }, 'file');
          if (field !== null && seen.has(field)) throw new InputError('import.duplicateColumn', { column: printable(name) }, 'file');
          seen.add(field);
          fieldOf.set(name, field);
          if (field) columnOf.set(field, name);
        }
        const missing = REQUIRED_COLUMNS.filter((field) => !seen.has(field));
        if (missing.length > 0) throw missingColumns(missing);
        if (!CONTACT_COLUMNS.some((field) => seen.has(field))) throw new InputError('import.missingColumn', { column: 'email / phone / address' }, 'file');
      },
      record(raw) {
        read++;
        keepHeap();
        const { values, errors: valueErrors } = valuesOf(raw.line, raw.values, fieldNamed, column);
        const decided = decideRow(raw.line, values, context, valueErrors);
        if (Array.isArray(decided)) {
          chunk.push({ record: raw, errors: decided });
          return;
        }
        const digest = decided.fields.externalRef === undefined ? undefined : hash('sha1', JSON.stringify(values), 'base64');
        chunk.push({ record: raw, row: decided, digest });
      },
      malformed(line, key, params) {
        read++;
        keepHeap();
        // The file's columns, empty, so that the rejects file keeps its header whatever line comes first.
        chunk.push({ record: { line, values: blankRow }, errors: [{ line, key, params }] });
      },
      ...(options.onProgress && { progress: options.onProgress }),
      // Rows are decided as they stream; their citizens are looked up, and they are staged, a chunk at a time.
      pace: () => (chunk.length >= CHUNK ? flush() : undefined),
    });
    await flush();
  } finally {
    // Nothing left running on the connection when the file turns out bad (the error is the file's, not the staging's).
    await staging.catch(() => undefined);
  }
  await staging;

  const summary = (written: number, created: number): ImportSummary => ({
    read,
    imported: written,
    skipped,
    rejected,
    citizensCreated: created,
    seconds: (performance.now() - started) / 1000,
    dryRun: options.dryRun,
    errors,
    errorCount,
  });
  // Refused: the valid rows were not written either.
  if (errorCount > 0 && !options.skipInvalid) throw new ImportRefused(summary(0, 0));
  if (options.dryRun) return summary(imported, newCitizens.length);
  if (staged === 0) return summary(0, 0);
  const written = await writeStaged(db, actor, settings, { newCitizens, additions, staged });
  skipped += written.skipped;
  return summary(written.imported, newCitizens.length);
}

/** The keys by which later rows of the file find a person again. */
function citizenKeys(data: CitizenData): string[] {
  return [
    data.taxCode && `t:${data.taxCode}`,
    data.email && `e:${emailMatchKey(data.email)}`,
    data.phone && `p:${data.phone}:${citizenSearchName(data.firstName, data.lastName)}`,
    data.phone && `p:${data.phone}`,
  ].filter((key): key is string => Boolean(key));
}

/** The candidates among some citizens for the given details (what identifyCitizen would look up). */
function candidatesAmong(citizens: readonly Citizen[], data: CitizenData): CitizenCandidates {
  return {
    byTaxCode: data.taxCode ? citizens.find((citizen) => citizen.taxCode === data.taxCode) : undefined,
    byEmail: data.email ? citizens.find((citizen) => citizen.email !== null && emailMatchKey(citizen.email) === emailMatchKey(data.email!)) : undefined,
    byPec: data.pec ? citizens.find((citizen) => citizen.pec === data.pec) : undefined,
    byPhone: data.phone ? citizens.filter((citizen) => citizen.phone === data.phone) : [],
  };
}

interface RegisteredCandidates {
  readonly byId: ReadonlyMap<number, Citizen>;
  matching(data: CitizenData): Iterable<Citizen>;
}

/** The registered citizens holding any tax code, e-mail or phone of a chunk's rows: three queries a chunk. */
async function registeredCandidates(db: Kysely<Database>, people: readonly CitizenData[]): Promise<RegisteredCandidates> {
  const found = new Map<number, Citizen>();
  for (const [column, field] of [['tax_code', 'taxCode'], ['email', 'email'], ['pec', 'pec'], ['phone', 'phone']] as const) {
    const values = [...new Set(people.map((person) => person[field]).filter((value): value is string => Boolean(value)))];
    if (values.length === 0) continue;
    // E-mails match whatever the case of their local part (citizens.ts EMAIL_KEY).
    const rows = await db
      .selectFrom('citizens')
      .selectAll()
      .where('erased_at', 'is', null)
      .where(column === 'email' ? EMAIL_KEY : sql.ref(column), 'in', column === 'email' ? values.map(emailMatchKey) : values)
      .execute();
    for (const row of rows) found.set(row.id, toCitizen(row));
  }
  return {
    byId: found,
    *matching(data) {
      for (const citizen of found.values()) {
        if (
          (data.taxCode && citizen.taxCode === data.taxCode) ||
          (data.email && citizen.email !== null && emailMatchKey(citizen.email) === emailMatchKey(data.email)) ||
          (data.pec && citizen.pec === data.pec) ||
          (data.phone && citizen.phone === data.phone)
        ) yield citizen;
      }
    },
  };
}

/** Which of these references are already in the register. */
async function presentValues(db: Kysely<Database>, column: 'external_ref', values: ReadonlyArray<string | undefined>): Promise<Set<string>> {
  const wanted = [...new Set(values.filter((value): value is string => value !== undefined))];
  if (wanted.length === 0) return new Set();
  const rows = await db.selectFrom('reports').select(column).where(column, 'in', wanted).execute();
  return new Set(rows.map((row) => row[column]!));
}

/** The reports holding any of these numbers. */
async function lookUp(db: Kysely<Database>, column: 'number', values: ReadonlyArray<string | undefined>) {
  const wanted = [...new Set(values.filter((value): value is string => value !== undefined))];
  if (wanted.length === 0) return [];
  return db.selectFrom('reports').select(['number', 'received_at', 'subject']).where(column, 'in', wanted).execute();
}

/**
 * Phase 2: under the write lock, in one transaction. What another process
 * registered since phase 1 is checked again (a reference: the row is
 * skipped; a number: the import is refused, nothing written); then the new
 * citizens, the contacts added to known ones, the numbers, and the reports
 * with their events and replies, a chunk at a time.
 */
async function writeStaged(
  db: ImportDatabase,
  actor: Actor,
  settings: Settings,
  work: { newCitizens: readonly CitizenData[]; additions: ReadonlyMap<number, { values: Partial<CitizenData>; fields: ReadonlySet<ContactField> }>; staged: number },
): Promise<{ imported: number; skipped: number }> {
  const deadlines = deadlineCalculator(settings);
  const register = db as unknown as Kysely<Database>;
  const keepHeap = heapKeeper();
  // Long: a clerk's command waits on behind it, past the usual wait (storage/long-write.ts).
  return writeTransaction(register, async (trx) => {
    const staging = trx as unknown as ImportDatabase;
    // References another clerk registered meanwhile: those rows are skipped as already there.
    const taken = await staging
      .selectFrom('import_staging as s')
      .innerJoin('reports as r', 'r.external_ref', 's.ref')
      .select('s.seq')
      .execute();
    const skip = new Set(taken.map((row) => row.seq));
    const clash = await staging.selectFrom('import_staging as s').innerJoin('reports as r', 'r.number', 's.given_number').select('r.number').executeTakeFirst();
    if (clash) throw new InputError('import.numberTakenMeanwhile', { number: clash.number });

    // New citizens: ids given here, so the reports can refer to them.
    const firstCitizen = await firstFreeId(trx, 'citizens');
    try {
      await insertMany(
        trx,
        'citizens',
        work.newCitizens.map((data, index) => ({ id: firstCitizen + index, ...citizenRow(data, actor.now) })),
      );
    } catch (error) {
      // A clerk registered the same tax code or e-mail since phase 1: nothing is written; a second run finds them.
      if ((error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new InputError('import.citizenMeanwhile');
      throw error;
    }
    for (const [id, { values, fields }] of work.additions) {
      const current = toCitizen(await trx.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      await addContacts(trx, actor, current, { ...current, ...values }, [...fields]);
    }
    const citizenId = (ref: number) => (ref < 0 ? firstCitizen + (-ref - 1) : ref);

    // Numbers: given ones kept; the others the next of their year, past the sequence and every number this file gives.
    const givenByYear = new Map<number, Set<number>>();
    const years = await staging.selectFrom('import_staging').select(['year', 'given_number']).distinct().execute();
    for (const row of years) {
      if (!givenByYear.has(row.year)) givenByYear.set(row.year, new Set());
      if (row.given_number) givenByYear.get(row.year)!.add(Number(row.given_number.slice(5)));
    }
    const last = new Map<number, number>();
    for (const row of await trx.selectFrom('report_sequences').selectAll().where('year', 'in', [...givenByYear.keys()]).execute()) last.set(row.year, row.last_value);
    const highest = new Map<number, number>(last);
    for (const [year, given] of givenByYear) last.set(year, Math.max(last.get(year) ?? 0, ...given));
    const nextSequence = (year: number) => {
      const next = (last.get(year) ?? 0) + 1;
      last.set(year, next);
      return next;
    };

    // A chunk's rows are prepared while the server writes the chunk before; the next chunk is read ahead.
    await refreshStatistics(trx, 'import_staging');
    const writer = await reportWriter(trx, actor);
    const readChunk = (after: number) =>
      after >= work.staged ? Promise.resolve([]) : staging.selectFrom('import_staging').selectAll().where('seq', '>', after).where('seq', '<=', after + CHUNK).orderBy('seq').execute();
    let rows = await readChunk(0);
    let writing: Promise<void> = Promise.resolve();
    let imported = 0;
    try {
      for (let after = 0; after < work.staged; after += CHUNK) {
        const reports: NewReport[] = [];
        for (const row of rows) {
          if (skip.has(row.seq)) continue;
          const [type, channel, subject, description, location, externalRef, status, categoryId, areaId, received, registered, milestoneTimes, outcome, via, replyText, contactsAdded] =
            JSON.parse(row.payload) as StagedRow;
          const receivedAt = new Date(received);
          const milestones: Record<string, Date> = {};
          milestoneTimes.forEach((time, index) => {
            if (time !== null) milestones[MILESTONES[index]!] = new Date(time);
          });
          const sequence = row.given_number ? Number(row.given_number.slice(5)) : nextSequence(row.year);
          highest.set(row.year, Math.max(highest.get(row.year) ?? 0, sequence));
          reports.push({
            number: row.given_number ?? formatReportNumber(row.year, sequence),
            year: row.year,
            sequence,
            type,
            channel,
            status,
            subject,
            description: description ?? '',
            location,
            externalRef,
            categoryId,
            areaId,
            citizenId: citizenId(row.citizen),
            receivedAt,
            registeredAt: new Date(registered),
            assignDueAt: deadlines.assignDue(receivedAt),
            replyDueAt: deadlines.replyDue(receivedAt),
            milestones,
            outcome,
            reply: milestones.answeredAt ? { text: replyText ?? '', via } : undefined,
            extraEvents: contactsAdded ? [{ kind: 'citizen_contacts_added', text: contactsAdded.join(',') }] : [],
          });
        }
        const batch = writer.prepare(reports);
        await writing;
        const next = readChunk(after + CHUNK);
        writing = writer.write(batch);
        writing.catch(() => undefined);
        rows = await next;
        imported += reports.length;
        keepHeap(reports.length);
      }
    } finally {
      // The transaction is rolled back only once the batch being written has finished.
      await writing.catch(() => undefined);
    }
    await writing;
    await writer.finish();
    for (const [year, value] of highest) {
      if (value === 0) continue;
      await trx
        .insertInto('report_sequences')
        .values({ year, last_value: value })
        .onConflict((conflict) => conflict.column('year').doUpdateSet({ last_value: value }))
        .execute();
    }
    return { imported, skipped: skip.size };
  }, { long: true });
}

function missingColumns(fields: readonly ImportField[]): InputError {
  return new InputError('import.missingColumn', { column: fields.map((field) => COLUMNS.find((column) => column[0] === field)![1]).join(', ') }, 'file');
}

/** A column name as a message may show it: short, control characters made visible. */
function printable(name: string): string {
  return escapeUnsafeLine(name.slice(0, 60));
}
