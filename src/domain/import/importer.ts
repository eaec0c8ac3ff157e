import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../storage/schema.js';
import type { Actor } from '../actor.js';
import { civilDateOf } from '../calendar.js';
import { type CitizenData, citizenSearchName, validateCitizen } from '../citizens.js';
import { emailMatchKey, findStoredEmail } from '../contacts.js';
import { dateInputProblem, parseDateInput } from '../date-input.js';
import { deadlineCalculator } from '../deadlines.js';
import { echo, InputError, ValidationErrors } from '../errors.js';
import { authorize } from '../operators.js';
import { parseReportFields } from '../report-input.js';
import { formatReportNumber, parseReportNumber } from '../report-numbers.js';
import type { Settings } from '../settings.js';
import { TEXT_LIMITS } from '../text-fields.js';
import { type Outcome, type Status, outcomes, replyChannels, statuses } from '../vocabulary.js';
import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import { COLUMNS, type ImportField, fieldForHeader } from './columns.js';
import { type ImportEncoding, type ImportFormat, type RawRecord, readRecords } from './readers.js';

/**
 * `urp import`: reports from CSV, JSON or JSON Lines (SPEC section 6, issue 5).
 *
 * - Every row is validated with the same schema and rules as `report new`;
 *   errors name the line and the column, never echo personal data.
 * - All or nothing by default: one transaction, rolled back at the first bad
 *   row (validation goes on, to report every error). `dryRun` always rolls
 *   back; `skipInvalid` writes the good rows and hands the bad ones over.
 * - Idempotent: a row whose external reference is already in the database,
 *   or earlier in the file with the same content, is skipped and counted; so
 *   is a row whose number is already there for the same receipt and subject
 *   (urp's own export imported again).
 * - Citizens are matched by tax code, then e-mail, then phone and name,
 *   else created: a person on many rows becomes one citizen.
 * - Optional history columns migrate a previous register: the number (kept
 *   when free; the year's sequence moves past it), the status and the
 *   milestones, each recorded as an event whose source is the import.
 *
 * The rows are written through prepared statements compiled by kysely, in one
 * synchronous pass while the file streams: fast, and constant in memory.
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

export interface RowError {
  readonly line: number;
  /** The column as the file names it. */
  readonly column?: string | undefined;
  readonly key: MessageKey;
  readonly params: MessageParams;
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

const REQUIRED_COLUMNS: ImportField[] = ['type', 'channel', 'receivedAt', 'subject', 'firstName', 'lastName'];
const CONTACT_COLUMNS: ImportField[] = ['email', 'phone', 'address'];
const MILESTONES = ['assignedAt', 'acknowledgedAt', 'suspendedAt', 'answeredAt', 'closedAt', 'rejectedAt'] as const;
const IMPORTABLE_STATUSES: Status[] = ['registered', 'assigned', 'acknowledged', 'suspended', 'answered', 'closed', 'rejected'];

/** The history columns, which each status requires, and which it merely allows. */
const HISTORY_FIELDS = ['area', 'assignedAt', 'acknowledgedAt', 'suspendedAt', 'answeredAt', 'replyText', 'replyVia', 'outcome', 'closedAt', 'rejectedAt'] as const;
type HistoryField = (typeof HISTORY_FIELDS)[number];
const ANSWER: HistoryField[] = ['area', 'answeredAt', 'replyText', 'outcome'];
const HISTORY_REQUIRED: Record<Status, HistoryField[]> = {
  registered: [],
  assigned: ['area'],
  acknowledged: ['area', 'acknowledgedAt'],
  suspended: ['area', 'acknowledgedAt', 'suspendedAt'],
  answered: ANSWER,
  closed: [...ANSWER, 'closedAt'],
  rejected: ['rejectedAt'],
};
const HISTORY_ALLOWED: Record<Status, HistoryField[]> = {
  registered: [],
  assigned: ['assignedAt'],
  acknowledged: ['assignedAt'],
  suspended: ['assignedAt'],
  // A reply implies the acknowledgement: its date may be missing.
  answered: ['assignedAt', 'acknowledgedAt', 'replyVia'],
  closed: ['assignedAt', 'acknowledgedAt', 'replyVia'],
  rejected: [],
};

type Values = Partial<Record<ImportField, string>>;

/** A cell urp's own export neutralised (`'=...`) is read back as it was. */
function unneutralise(text: string): string {
  return text.length > 1 && text[0] === "'" && /^[=+\-@\t\r]/.test(text.slice(1)) ? text.slice(1) : text;
}

function cell(value: unknown): string | undefined | null {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return unneutralise(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null; // an object or array where a text belongs
}

export async function importReports(
  db: Kysely<Database>,
  sqlite: BetterSqlite3.Database,
  actor: Actor,
  settings: Settings,
  options: ImportOptions,
): Promise<ImportSummary> {
  await authorize(db, actor, 'import');
  const started = performance.now();
  const nowIso = actor.now.toISOString();
  const deadlines = deadlineCalculator(settings);

  const areas = new Map((await db.selectFrom('areas').select(['id', 'code', 'name', 'active']).execute()).flatMap((row) => [
    [row.code, row],
    [row.name.toLowerCase(), row],
  ]));
  const categories = new Map((await db.selectFrom('categories').select(['id', 'code', 'name', 'active']).execute()).flatMap((row) => [
    [row.code, row],
    [row.name.toLowerCase(), row],
  ]));

  // Prepared statements, compiled by kysely once, run by better-sqlite3 row after row.
  const prepare = (query: { compile(): { sql: string } }) => sqlite.prepare(query.compile().sql);
  const citizenColumns = { first_name: '', last_name: '', tax_code: null, email: null, phone: null, address: null, search_name: '', created_at: '', updated_at: '' };
  const reportColumns = {
    number: '', year: 0, sequence: 0, type: '', channel: '', status: '', subject: '', description: '', location: null,
    external_ref: null, category_id: null, area_id: null, citizen_id: 0, received_at: '', registered_at: '',
    assign_counted_from: '', assign_due_at: '', first_assign_due_at: '', reply_counted_from: '', reply_due_at: '',
    suspended_at: null, suspension_count: 0, assigned_at: null, first_assigned_at: null, acknowledged_at: null,
    answered_at: null, first_answered_at: null, first_reply_due_at: null, closed_at: null, rejected_at: null,
    outcome: null, updated_at: '',
  };
  const eventColumns = { report_id: 0, kind: '', from_status: null, to_status: null, area_id: null, text: null, operator: '', occurred_at: '', recorded_at: '', source: '' };
  const statements = {
    insertCitizen: prepare(db.insertInto('citizens').values(citizenColumns)),
    insertReport: prepare(db.insertInto('reports').values(reportColumns)),
    insertEvent: prepare(db.insertInto('report_events').values(eventColumns)),
    insertReply: prepare(db.insertInto('replies').values({ report_id: 0, event_id: 0, text: '', outcome: '', via: null, sent_at: '' })),
    citizenByTaxCode: prepare(db.selectFrom('citizens').select('id').where('tax_code', '=', '').where('erased_at', 'is', null)).pluck(),
    citizenByEmail: prepare(db.selectFrom('citizens').select('id').where('email', '=', '').where('erased_at', 'is', null)).pluck(),
    // The first stored e-mail at or after a text: findStoredEmail's seek (e-mails match whatever the case of their local part).
    emailAtOrAfter: prepare(db.selectFrom('citizens').select('email').where('email', '>=', '').orderBy('email').limit(sql.lit(1))).pluck(),
    // The third parameter is 1 when the row has a tax code: then only a citizen without one may be the same person.
    citizenByPhone: prepare(
      db.selectFrom('citizens').select('id').where('phone', '=', '').where('search_name', '=', '').where('erased_at', 'is', null).where(sql<boolean>`(${0} = 0 or tax_code is null)`),
    ).pluck(),
    reportByRef: prepare(db.selectFrom('reports').select('id').where('external_ref', '=', '')).pluck(),
    reportByNumber: prepare(db.selectFrom('reports').select(['id', 'received_at', 'subject']).where('number', '=', '')),
    renumber: prepare(db.updateTable('reports').set({ number: '', sequence: 0 }).where('id', '=', 0)),
    lastSequence: prepare(db.selectFrom('report_sequences').select('last_value').where('year', '=', 0)).pluck(),
    saveSequence: prepare(
      db
        .insertInto('report_sequences')
        .values({ year: 0, last_value: 0 })
        .onConflict((conflict) => conflict.column('year').doUpdateSet({ last_value: 0 })),
    ),
  };
  const insertValues = (template: Record<string, unknown>, values: Record<string, unknown>) => Object.keys(template).map((key) => values[key] ?? null);

  // State of this import.
  let columnOf: Map<ImportField, string> = new Map(); // field -> the file's own column name (for messages)
  let fieldOf: Map<string, ImportField | null> = new Map();
  // The references seen in this file, with a digest of their row, kept in a
  // temporary table rather than in memory: a million rows stay a few MB.
  sqlite.exec('create temp table if not exists import_refs (ref text primary key, digest text not null) without rowid; delete from temp.import_refs');
  const seenRef = sqlite.prepare('select digest from temp.import_refs where ref = ?').pluck();
  const rememberRef = sqlite.prepare('insert or ignore into temp.import_refs (ref, digest) values (?, ?)');
  const numbersTaken = new Set<string>(); // the numbers rows of this file gave
  const sequences = new Map<number, number>();
  // Reports after this one are this import's own: read once the transaction holds the write lock (below).
  let lastReportBefore = 0;
  const citizenKeys = new Map<string, number>();
  let read = 0;
  let imported = 0;
  let skipped = 0;
  let rejected = 0;
  let citizensCreated = 0;
  let errorCount = 0;
  const errors: RowError[] = [];
  const writing = () => !options.dryRun && (options.skipInvalid || errorCount === 0);

  const reject = (record: RawRecord, rowErrors: RowError[]) => {
    rejected++;
    errorCount += rowErrors.length;
    for (const error of rowErrors) if (errors.length < MAX_REPORTED_ERRORS) errors.push(error);
    options.onRejected?.({ line: record.line, values: record.values, errors: rowErrors });
  };

  const nextSequence = (year: number) => {
    let last = sequences.get(year);
    if (last === undefined) last = (statements.lastSequence.get(year) as number | undefined) ?? 0;
    sequences.set(year, last + 1);
    return last + 1;
  };

  const findOrCreateCitizen = (data: CitizenData): number => {
    const keys = [
      data.taxCode && `t:${data.taxCode}`,
      data.email && `e:${emailMatchKey(data.email)}`,
      data.phone && `p:${data.phone}:${citizenSearchName(data.firstName, data.lastName)}`,
    ].filter((key): key is string => Boolean(key));
    for (const key of keys) {
      // With a tax code, the phone and name do not decide: two tax codes are two people.
      if (data.taxCode && key.startsWith('p:')) continue;
      const known = citizenKeys.get(key);
      if (known !== undefined) return known;
    }
    let id: number | undefined;
    if (data.taxCode) id = statements.citizenByTaxCode.get(data.taxCode) as number | undefined;
    if (id === undefined && data.email) {
      const stored = findStoredEmail(data.email, (from) => statements.emailAtOrAfter.get(from) as string | undefined);
      if (stored) id = statements.citizenByEmail.get(stored) as number | undefined;
    }
    // The same phone and the same name (matchCitizen's rule): a family shares a phone, and often a surname.
    if (id === undefined && data.phone) id = statements.citizenByPhone.get(data.phone, citizenSearchName(data.firstName, data.lastName), data.taxCode ? 1 : 0) as number | undefined;
    if (id === undefined) {
      id = Number(
        statements.insertCitizen.run(
          ...insertValues(citizenColumns, {
            first_name: data.firstName,
            last_name: data.lastName,
            tax_code: data.taxCode,
            email: data.email,
            phone: data.phone,
            address: data.address,
            search_name: citizenSearchName(data.firstName, data.lastName),
            created_at: nowIso,
            updated_at: nowIso,
          }),
        ).lastInsertRowid,
      );
      citizensCreated++;
    }
    for (const key of keys) citizenKeys.set(key, id);
    return id;
  };

  let blankRow: Record<string, string> = {};
  const header = (names: readonly string[]) => {
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
  };

  const record = (raw: RawRecord) => {
    read++;
    const rowErrors: RowError[] = [];
    const fail = (field: ImportField | undefined, key: MessageKey, params: MessageParams = {}) => {
      const column = field ? (columnOf.get(field) ?? field) : undefined;
      // One error per column: an object where a text belongs is "not valid", not also "required".
      if (column === undefined || !rowErrors.some((error) => error.column === column)) rowErrors.push({ line: raw.line, column, key, params });
    };

    // Values by field.
    const values: Values = {};
    for (const [name, value] of Object.entries(raw.values)) {
      let field = fieldOf.get(name);
      if (field === undefined) {
        field = fieldForHeader(name);
        if (options.format !== 'csv') fieldOf.set(name, field ?? null);
      }
      if (field === undefined) {
        fail(undefined, 'import.unknownField', { column: name.slice(0, 60) });
        continue;
      }
      if (field === null) continue;
      const text = cell(value);
      if (text === null) fail(field, 'field.invalid');
      else if (text !== undefined && text.trim() !== '') values[field] = text;
    }

    // The same rules as `report new`.
    let fields: ReturnType<typeof parseReportFields> | undefined;
    try {
      fields = parseReportFields(values, settings.timeZone);
    } catch (error) {
      collect(error, fail);
    }
    let citizen: CitizenData | undefined;
    try {
      citizen = validateCitizen(values);
    } catch (error) {
      collect(error, fail);
    }
    if (!values.receivedAt) fail('receivedAt', 'field.required');
    const when = (field: ImportField): Date | undefined => {
      const text = values[field];
      if (text === undefined) return undefined;
      const parsed = parseDateInput(text, settings.timeZone)?.instant;
      if (!parsed) {
        const problem = dateInputProblem(text, settings.timeZone);
        fail(field, problem.key, problem.params);
      }
      else if (parsed.getTime() > actor.now.getTime()) fail(field, 'date.future');
      return parsed;
    };
    const received = fields?.receivedAt;
    if (received && received.getTime() > actor.now.getTime()) fail('receivedAt', 'date.future');

    const category = fields?.category ? categories.get(fields.category.toLowerCase()) : undefined;
    if (fields?.category && !category) fail('category', 'category.unknown', { value: echo(fields.category) });
    const area = fields?.area ? areas.get(fields.area.toLowerCase()) : undefined;
    if (fields?.area && !area) fail('area', 'area.unknown', { value: echo(fields.area) });

    // History: the status (given, or that of the last milestone) and its milestones, in order.
    const milestones = Object.fromEntries(MILESTONES.map((field) => [field, when(field)])) as Record<(typeof MILESTONES)[number], Date | undefined>;
    const registeredGiven = when('registeredAt');
    // A disabled category takes no new reports (as in report new); a previous register's history may name one.
    const history = values.status !== undefined || values.number !== undefined || registeredGiven !== undefined || Object.values(milestones).some(Boolean);
    if (category && category.active !== 1 && !history) fail('category', 'category.disabled', { code: category.code });
    let status: Status | undefined;
    if (values.status !== undefined) {
      status = statuses.parse(values.status);
      if (!status || !IMPORTABLE_STATUSES.includes(status)) fail('status', 'report.statusUnknown', { value: echo(values.status), allowed: IMPORTABLE_STATUSES.join(', ') });
    } else {
      status = milestones.rejectedAt
        ? 'rejected'
        : milestones.closedAt
          ? 'closed'
          : milestones.answeredAt
            ? 'answered'
            : milestones.suspendedAt
              ? 'suspended'
              : milestones.acknowledgedAt
                ? 'acknowledged'
                : milestones.assignedAt || area
                  ? 'assigned'
                  : 'registered';
    }
    let outcome: Outcome | undefined;
    if (values.outcome !== undefined) {
      outcome = outcomes.parse(values.outcome);
      if (!outcome) fail('outcome', 'reply.outcomeUnknown', { value: echo(values.outcome), allowed: outcomes.codes.join(', ') });
    }
    const via = values.replyVia === undefined ? undefined : replyChannels.parse(values.replyVia);
    if (values.replyVia !== undefined && !via) fail('replyVia', 'reply.viaUnknown', { value: echo(values.replyVia), allowed: replyChannels.codes.join(', ') });
    if (values.replyText !== undefined && values.replyText.length > TEXT_LIMITS.replyText) {
      fail('replyText', 'field.tooLong', { limit: TEXT_LIMITS.replyText, length: values.replyText.length });
    }

    // Which milestones each status needs (and which it must not have).
    if (status && rowErrors.length === 0) {
      const order: Array<[ImportField, Date | undefined]> = [
        ['receivedAt', received],
        ['registeredAt', registeredGiven],
        ['assignedAt', milestones.assignedAt],
        ['acknowledgedAt', milestones.acknowledgedAt],
        ['suspendedAt', milestones.suspendedAt],
        ['answeredAt', milestones.answeredAt],
        ['closedAt', milestones.closedAt],
      ];
      const present = (field: HistoryField) =>
        field === 'area' ? Boolean(area) : field in milestones ? Boolean(milestones[field as (typeof MILESTONES)[number]]) : values[field] !== undefined;
      for (const field of HISTORY_FIELDS) {
        const needed = HISTORY_REQUIRED[status].includes(field);
        if (needed && !present(field)) fail(field, 'import.milestoneMissing', { status });
        if (!needed && present(field) && !HISTORY_ALLOWED[status].includes(field)) fail(field, 'import.milestoneUnexpected', { status });
      }
      if (area && area.active !== 1 && !milestones.assignedAt && status !== 'registered' && status !== 'rejected') {
        fail('area', 'area.disabled', { code: area.code });
      }
      let previous: [ImportField, Date] | undefined;
      for (const [field, instant] of order) {
        if (!instant) continue;
        if (previous && instant.getTime() < previous[1].getTime()) {
          fail(field, 'import.milestoneOrder', { previous: columnOf.get(previous[0]) ?? previous[0] });
          break;
        }
        previous = [field, instant];
      }
    }

    // The number, kept when free and well-formed.
    let given: { number: string; year: number; sequence: number } | undefined;
    let displaced: number | undefined;
    if (values.number !== undefined) {
      try {
        given = parseReportNumber(values.number, 'number');
      } catch {
        fail('number', 'report.numberFormat');
      }
      // The year of the number is the year of registration: not before the receipt, not in the future.
      if (given && given.year > civilDateOf(actor.now, settings.timeZone).year) fail('number', 'date.future');
      else if (given && received && given.year < civilDateOf(received, settings.timeZone).year) {
        fail('number', 'import.milestoneOrder', { previous: columnOf.get('receivedAt') ?? 'receivedAt' });
      } else if (given && numbersTaken.has(given.number)) {
        fail('number', 'import.numberTaken', { number: given.number });
      } else if (given) {
        const existing = statements.reportByNumber.get(given.number) as { id: number; received_at: string; subject: string } | undefined;
        // The same report (same number, receipt and subject) is already here: an export of
        // this register imported again, or a re-run. Skipped, as a known reference is.
        const before = existing !== undefined && existing.id <= lastReportBefore;
        if (before && rowErrors.length === 0 && existing.received_at === received?.toISOString() && existing.subject === fields?.subject) {
          skipped++;
          return;
        }
        // A number this import chose itself for an earlier row without one gives way (below);
        // one the database held before is taken.
        if (existing && !before) displaced = existing.id;
        else if (existing) fail('number', 'import.numberTaken', { number: given.number });
      }
    }

    // Idempotence: a reference already imported is skipped; the same one with other contents is an error.
    const ref = fields?.externalRef;
    if (ref !== undefined && rowErrors.length === 0) {
      const digest = createHash('sha1').update(JSON.stringify(values)).digest('base64');
      // One statement in the usual case: the reference is new to this file.
      if (rememberRef.run(ref, digest).changes === 0) {
        if (seenRef.get(ref) === digest) {
          skipped++;
          return;
        }
        fail('externalRef', 'import.refConflict', { ref: echo(ref) });
      } else if (statements.reportByRef.get(ref) !== undefined) {
        skipped++;
        return;
      }
    }

    if (rowErrors.length > 0 || !fields || !citizen || !received || !status) {
      reject(raw, rowErrors);
      return;
    }
    if (!writing()) {
      if (given) numbersTaken.add(given.number);
      imported++;
      return;
    }

    // Write the report, its events and its reply.
    const registered = registeredGiven ?? (given || values.status !== undefined || milestones.assignedAt ? received : actor.now);
    const year = given?.year ?? civilDateOf(registered, settings.timeZone).year;
    if (given && displaced !== undefined) {
      const next = nextSequence(year);
      statements.renumber.run(formatReportNumber(year, next), next, displaced);
    }
    const sequence = given ? given.sequence : nextSequence(year);
    if (given) {
      numbersTaken.add(given.number);
      sequences.set(year, Math.max(sequences.get(year) ?? ((statements.lastSequence.get(year) as number | undefined) ?? 0), sequence));
    }
    const number = given?.number ?? formatReportNumber(year, sequence);
    const citizenId = findOrCreateCitizen(citizen);
    const iso = (instant: Date | undefined) => instant?.toISOString() ?? null;
    const assignDue = deadlines.assignDue(received).toISOString();
    const replyDue = deadlines.replyDue(received).toISOString();
    const assignedAt = status === 'registered' || status === 'rejected' ? undefined : (milestones.assignedAt ?? registered);
    const acknowledgedAt = milestones.acknowledgedAt ?? (milestones.answeredAt && assignedAt ? milestones.answeredAt : undefined);
    const reportId = Number(
      statements.insertReport.run(
        ...insertValues(reportColumns, {
          number,
          year,
          sequence,
          type: fields.type,
          channel: fields.channel,
          status,
          subject: fields.subject,
          description: fields.description ?? '',
          location: fields.location,
          external_ref: ref,
          category_id: category?.id,
          area_id: assignedAt ? area?.id : undefined,
          citizen_id: citizenId,
          received_at: received.toISOString(),
          registered_at: registered.toISOString(),
          assign_counted_from: received.toISOString(),
          assign_due_at: assignDue,
          first_assign_due_at: assignDue,
          reply_counted_from: received.toISOString(),
          reply_due_at: replyDue,
          suspended_at: iso(milestones.suspendedAt),
          suspension_count: milestones.suspendedAt ? 1 : 0,
          assigned_at: iso(assignedAt),
          first_assigned_at: iso(assignedAt),
          acknowledged_at: iso(acknowledgedAt),
          answered_at: iso(milestones.answeredAt),
          first_answered_at: iso(milestones.answeredAt),
          first_reply_due_at: milestones.answeredAt ? replyDue : null,
          closed_at: iso(milestones.closedAt),
          rejected_at: iso(milestones.rejectedAt),
          outcome: milestones.answeredAt ? outcome : null,
          // Last changed at its latest milestone, not at the import (Open311's updated_datetime).
          updated_at: [registered, assignedAt, acknowledgedAt, milestones.suspendedAt, milestones.answeredAt, milestones.closedAt, milestones.rejectedAt]
            .filter((instant): instant is Date => instant !== undefined)
            .reduce((latest, instant) => (instant > latest ? instant : latest))
            .toISOString(),
        }),
      ).lastInsertRowid,
    );
    const event = (kind: string, from: Status | null, to: Status, at: Date, areaId: number | null = null, text: string | null = null) =>
      Number(
        statements.insertEvent.run(
          ...insertValues(eventColumns, {
            report_id: reportId,
            kind,
            from_status: from,
            to_status: to,
            area_id: areaId,
            text,
            operator: actor.operator,
            occurred_at: at.toISOString(),
            recorded_at: nowIso,
            source: 'import',
          }),
        ).lastInsertRowid,
      );
    const areaId = area?.id ?? null;
    event('registered', null, 'registered', registered);
    if (status === 'rejected') event('rejected', 'registered', 'rejected', milestones.rejectedAt!, null, null);
    if (assignedAt) event('assigned', 'registered', 'assigned', assignedAt, areaId);
    if (acknowledgedAt) event('acknowledged', 'assigned', 'acknowledged', acknowledgedAt, areaId);
    if (milestones.suspendedAt) event('suspended', 'acknowledged', 'suspended', milestones.suspendedAt, areaId);
    if (milestones.answeredAt) {
      const eventId = event('answered', 'acknowledged', 'answered', milestones.answeredAt, areaId, `${outcome}${via ? ` via ${via}` : ''}`);
      statements.insertReply.run(reportId, eventId, values.replyText ?? '', outcome!, via ?? null, milestones.answeredAt.toISOString());
    }
    if (milestones.closedAt) event('closed', 'answered', 'closed', milestones.closedAt, areaId);
    imported++;
  };

  const malformed = (line: number, key: MessageKey, params: MessageParams) => {
    read++;
    // The file's columns, empty, so that the rejects file keeps its header whatever line comes first.
    reject({ line, values: blankRow }, [{ line, key, params }]);
  };

  sqlite.exec('begin immediate');
  lastReportBefore = sqlite.prepare('select coalesce(max(id), 0) from reports').pluck().get() as number;
  let committed = false;
  try {
    await readRecords(options.path, options.format, options.encoding, {
      header,
      record,
      malformed,
      ...(options.onProgress && { progress: options.onProgress }),
    });
    for (const [year, last] of sequences) {
      statements.saveSequence.run(year, last, last);
    }
    const summary: ImportSummary = {
      read,
      imported,
      skipped,
      rejected,
      citizensCreated,
      seconds: (performance.now() - started) / 1000,
      dryRun: options.dryRun,
      errors,
      errorCount,
    };
    // Refused: the valid rows were not written either.
    if (errorCount > 0 && !options.skipInvalid) throw new ImportRefused({ ...summary, imported: 0 });
    if (options.dryRun) return summary;
    sqlite.exec('commit');
    committed = true;
    return summary;
  } finally {
    if (!committed && sqlite.inTransaction) sqlite.exec('rollback');
  }
}

function missingColumns(fields: readonly ImportField[]): InputError {
  return new InputError('import.missingColumn', { column: fields.map((field) => COLUMNS.find((column) => column[0] === field)![1]).join(', ') }, 'file');
}

/** A column name as a message may show it: short, control characters made visible. */
function printable(name: string): string {
  return name.slice(0, 60).replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function collect(error: unknown, fail: (field: ImportField | undefined, key: MessageKey, params?: MessageParams) => void): void {
  const list = error instanceof ValidationErrors ? error.errors : error instanceof InputError ? [error] : undefined;
  if (!list) throw error;
  for (const each of list) {
    // The citizen's "contact" is any of three columns.
    const field = each.field === 'contact' || each.field === 'citizen' ? 'email' : (each.field as ImportField | undefined);
    fail(field, each.key, each.params);
  }
}
