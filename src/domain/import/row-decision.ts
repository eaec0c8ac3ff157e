import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import { restoreFormula } from '../../text/spreadsheet-formula.js';
import { civilDateOf } from '../calendar.js';
import { type CitizenData, validateCitizen } from '../citizens.js';
import { dateInputProblem, parseDateInput } from '../date-input.js';
import { echo, InputError, ValidationErrors } from '../errors.js';
import { type ReportFields, checkReceivedAt, parseReportFields } from '../report-input.js';
import { parseReportNumber } from '../report-numbers.js';
import type { Milestones } from '../report-writer.js';
import type { Settings } from '../settings.js';
import { TEXT_LIMITS } from '../text-fields.js';
import { type Outcome, type ReplyChannel, type Status, outcomes, replyChannels, statuses } from '../vocabulary.js';
import { type ImportField, fieldForHeader } from './columns.js';

/**
 * Deciding one imported row (issue 11: the importer split along its seam):
 * from the row's values to a validated row, or to its errors, with the same
 * rules as `report new`. Pure: no file, no database; the areas and
 * categories it may name are handed in.
 */
export interface RowError {
  readonly line: number;
  /** The column as the file names it. */
  readonly column?: string | undefined;
  readonly key: MessageKey;
  readonly params: MessageParams;
}

export interface CodeRow {
  readonly id: number;
  readonly code: string;
  readonly active: number;
}

export interface DecisionContext {
  readonly settings: Settings;
  readonly now: Date;
  /** By lower-case code and by lower-case name. */
  readonly areas: ReadonlyMap<string, CodeRow>;
  readonly categories: ReadonlyMap<string, CodeRow>;
  /** The file's own name of a column, for messages. */
  readonly columnOf: (field: ImportField) => string;
}

export interface DecidedRow {
  readonly line: number;
  readonly fields: ReportFields;
  readonly citizen: CitizenData;
  readonly received: Date;
  /** When it was registered: given, or implied by a history (the receipt), else now. */
  readonly registered: Date;
  readonly status: Status;
  readonly milestones: Milestones;
  readonly outcome: Outcome | null;
  readonly via: ReplyChannel | null;
  readonly replyText: string | null;
  readonly categoryId: number | null;
  readonly areaId: number | null;
  /** A number the row gives (a previous register's). */
  readonly given?: { readonly number: string; readonly year: number; readonly sequence: number } | undefined;
  /** The year of its number: the given one's, or that of its registration. */
  readonly year: number;
}

export type Values = Partial<Record<ImportField, string>>;

/** A history's milestones, in the order they happen. */
export const MILESTONES = ['assignedAt', 'acknowledgedAt', 'suspendedAt', 'answeredAt', 'closedAt', 'rejectedAt'] as const;
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

function cell(value: unknown): string | undefined | null {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return restoreFormula(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null; // an object or array where a text belongs
}

/**
 * A record's values by field: unknown columns and values of the wrong kind
 * are errors; columns urp reads past are dropped; blank cells are absent.
 */
export function valuesOf(
  line: number,
  record: Readonly<Record<string, unknown>>,
  fieldOf: (name: string) => ImportField | null | undefined,
  columnOf: (field: ImportField) => string,
): { values: Values; errors: RowError[] } {
  const values: Values = {};
  const errors: RowError[] = [];
  for (const [name, value] of Object.entries(record)) {
    const field = fieldOf(name);
    if (field === undefined) {
      errors.push({ line, key: 'import.unknownField', params: { column: name.slice(0, 60) } });
      continue;
    }
    if (field === null) continue;
    const text = cell(value);
    if (text === null) errors.push({ line, column: columnOf(field), key: 'field.invalid', params: {} });
    else if (text !== undefined && text.trim() !== '') values[field] = text;
  }
  return { values, errors };
}

/** The field a header names (the import's columns), for JSON rows whose keys are looked up one by one. */
export { fieldForHeader };

export function decideRow(line: number, values: Values, context: DecisionContext, valueErrors: readonly RowError[] = []): DecidedRow | RowError[] {
  const { settings, now } = context;
  const errors: RowError[] = [...valueErrors];
  const fail = (field: ImportField | undefined, key: MessageKey, params: MessageParams = {}) => {
    const column = field ? context.columnOf(field) : undefined;
    // One error per column: an object where a text belongs is "not valid", not also "required".
    if (column === undefined || !errors.some((error) => error.column === column)) errors.push({ line, column, key, params });
  };
  const collect = (error: unknown) => {
    const list = error instanceof ValidationErrors ? error.errors : error instanceof InputError ? [error] : undefined;
    if (!list) throw error;
    // The citizen's "contact" is any of three columns.
    for (const each of list) fail(each.field === 'contact' || each.field === 'citizen' ? 'email' : (each.field as ImportField | undefined), each.key, each.params);
  };

  // The same rules as `report new`.
  let fields: ReportFields | undefined;
  try {
    fields = parseReportFields(values, settings.timeZone);
  } catch (error) {
    collect(error);
  }
  let citizen: CitizenData | undefined;
  try {
    citizen = validateCitizen(values);
  } catch (error) {
    collect(error);
  }
  if (!values.receivedAt) fail('receivedAt', 'field.required');
  const when = (field: ImportField): Date | undefined => {
    const text = values[field];
    if (text === undefined) return undefined;
    const parsed = parseDateInput(text, settings.timeZone)?.instant;
    // Why it was refused: not a date, or an hour the clock skipped that night.
    if (!parsed) {
      const problem = dateInputProblem(text, settings.timeZone);
      fail(field, problem.key, problem.params);
    }
    else if (parsed.getTime() > now.getTime()) fail(field, 'date.future');
    return parsed;
  };
  const received = fields?.receivedAt;
  if (received) {
    try {
      checkReceivedAt(received, now, settings);
    } catch (error) {
      if (error instanceof InputError && error.key === 'report.receivedInFuture') fail('receivedAt', 'date.future');
      else collect(error);
    }
  }

  const category = fields?.category ? context.categories.get(fields.category.toLowerCase()) : undefined;
  if (fields?.category && !category) fail('category', 'category.unknown', { value: echo(fields.category) });
  const area = fields?.area ? context.areas.get(fields.area.toLowerCase()) : undefined;
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
  if (status && errors.length === 0) {
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
        fail(field, 'import.milestoneOrder', { previous: context.columnOf(previous[0]) });
        break;
      }
      previous = [field, instant];
    }
  }

  // The number, well-formed, of a year not before the receipt nor after now.
  let given: DecidedRow['given'];
  if (values.number !== undefined) {
    try {
      given = parseReportNumber(values.number, 'number');
    } catch {
      fail('number', 'report.numberFormat');
    }
    if (given && given.year > civilDateOf(now, settings.timeZone).year) fail('number', 'date.future');
    else if (given && received && given.year < civilDateOf(received, settings.timeZone).year) {
      fail('number', 'import.milestoneOrder', { previous: context.columnOf('receivedAt') });
    }
  }

  if (errors.length > 0 || !fields || !citizen || !received || !status) return errors;
  const registered = registeredGiven ?? (given || values.status !== undefined || milestones.assignedAt ? received : now);
  return {
    line,
    fields,
    citizen,
    received,
    registered,
    status,
    milestones,
    outcome: outcome ?? null,
    via: via ?? null,
    replyText: values.replyText ?? null,
    categoryId: category?.id ?? null,
    areaId: area?.id ?? null,
    given,
    year: given?.year ?? civilDateOf(registered, settings.timeZone).year,
  };
}
