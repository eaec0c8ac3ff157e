import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { zonedParts } from '../domain/calendar.js';
import { localeOf } from '../i18n/language.js';
import { translate } from '../i18n/messages.js';
import { FORMULA } from '../text/spreadsheet-formula.js';
import { writeOutputBytes } from './output-file.js';

/**
 * Lists as an Italian office opens them (issue 16): `--xlsx`, written with
 * exceljs (loaded only here, it is heavy), and `--csv-excel` for those who
 * insist on CSV. Cells are typed, never formulas: an instant is a date in the
 * office's time (dd/mm/yyyy hh:mm), a count a number, a percentage a
 * percentage, a phone or a code text (so Excel keeps +390331467816 whole).
 * `--csv` stays the machine format, for programs and round trips.
 */

/** What a cell holds: text, a code or phone (text too), a number, a percentage (87.5 for 87.5%), an instant or a date (ISO), yes or no. */
export type SheetKind = 'text' | 'code' | 'integer' | 'number' | 'percent' | 'instant' | 'date' | 'boolean';
export type SheetValue = string | number | boolean | null | undefined;

export interface SheetColumn<Row> {
  /** In the user's language. */
  readonly header: string;
  readonly value: (row: Row) => SheetValue;
  readonly kind?: SheetKind;
  /** In characters; default: from the header and the values. */
  readonly width?: number;
}

export interface SheetOptions {
  readonly output?: string | undefined;
  readonly timeZone: string;
  readonly language: string;
  readonly database: string;
  readonly title?: string;
}

/** exceljs, loaded only when a spreadsheet is asked for (required: the bundle runs where import() has no loader). */
const loadExcel = () => createRequire(import.meta.url)('exceljs') as typeof import('exceljs');

const FORMATS: Partial<Record<SheetKind, string>> = {
  instant: 'dd/mm/yyyy hh:mm',
  date: 'dd/mm/yyyy',
  integer: '0',
  number: '0.0',
  percent: '0.0%',
  code: '@',
};

/** An instant as the wall time the office's clock showed, the way a spreadsheet date holds it (no zone). */
export function wallClock(iso: string, timeZone: string): Date {
  const { date, time } = zonedParts(new Date(iso), timeZone);
  return new Date(Date.UTC(date.year, date.month - 1, date.day, time.hours, time.minutes, time.seconds));
}

function cellValue(kind: SheetKind, value: SheetValue, timeZone: string): string | number | boolean | Date | null {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'instant':
      return wallClock(String(value), timeZone);
    case 'date': {
      const day = String(value).slice(0, 10);
      return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? new Date(`${day}T00:00:00Z`) : wallClock(String(value), timeZone);
    }
    case 'integer':
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'percent':
      return (typeof value === 'number' ? value : Number(value)) / 100;
    case 'boolean':
      return value === true || value === 'true';
    default:
      return String(value);
  }
}

function widthOf<Row>(column: SheetColumn<Row>, rows: readonly Row[]): number {
  if (column.width) return column.width;
  const kind = column.kind ?? 'text';
  if (kind === 'instant') return Math.max(17, column.header.length + 2);
  if (kind === 'date') return Math.max(11, column.header.length + 2);
  let widest = column.header.length;
  // A sample is enough to size a column.
  for (const row of rows.slice(0, 500)) widest = Math.max(widest, String(column.value(row) ?? '').length);
  return Math.min(60, widest + 2);
}

/** The rows as an .xlsx workbook: one sheet, a bold frozen header with a filter, widths set. */
export async function spreadsheetBytes<Row>(columns: readonly SheetColumn<Row>[], rows: readonly Row[], options: SheetOptions): Promise<Buffer> {
  const ExcelJS = loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'urp';
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet(sheetName(options.title ?? 'urp'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: widthOf(column, rows), style: FORMATS[column.kind ?? 'text'] ? { numFmt: FORMATS[column.kind ?? 'text']! } : {} }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((column) => cellValue(column.kind ?? 'text', column.value(row), options.timeZone)));
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Excel allows 31 characters and no []:*?/\ in a sheet's name. */
function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'urp';
}

/** `--xlsx`: the workbook to --output, or to standard output when it is not a terminal. */
export async function writeSpreadsheet<Row>(stdout: Writable & { isTTY?: boolean }, columns: readonly SheetColumn<Row>[], rows: readonly Row[], options: SheetOptions): Promise<void> {
  writeOutputBytes({ stdout, database: options.database }, await spreadsheetBytes(columns, rows, options), options.output, undefined, 'XLSX');
}

/**
 * `--csv-excel`: CSV as Italian Excel opens it with a double click: `;`
 * between cells, a byte-order mark (else accents are garbled), CRLF, times in
 * the office's zone as dd/mm/yyyy hh:mm, numbers with the language's decimal
 * comma, yes and no in words, labels not codes; cells a spreadsheet would
 * run as formulas are neutralised.
 */
export function excelCsv<Row>(columns: readonly SheetColumn<Row>[], options: SheetOptions): { header: string; row: (row: Row) => string } {
  const number = new Intl.NumberFormat(localeOf(options.language), { useGrouping: false, maximumFractionDigits: 2 });
  const pad = (value: number) => String(value).padStart(2, '0');
  const text = (kind: SheetKind, value: SheetValue): string => {
    if (value === null || value === undefined || value === '') return '';
    const cell = cellValue(kind, value, options.timeZone);
    if (cell instanceof Date) {
      const day = `${pad(cell.getUTCDate())}/${pad(cell.getUTCMonth() + 1)}/${cell.getUTCFullYear()}`;
      return kind === 'date' ? day : `${day} ${pad(cell.getUTCHours())}:${pad(cell.getUTCMinutes())}`;
    }
    if (typeof cell === 'boolean') return translate(options.language, cell ? 'sheet.yes' : 'sheet.no');
    if (typeof cell === 'number') return kind === 'percent' ? `${number.format(cell * 100)}%` : number.format(cell);
    return String(cell);
  };
  const quote = (cell: string) => {
    const safe = FORMULA.test(cell) ? `'${cell}` : cell;
    return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return {
    header: `\uFEFF${columns.map((column) => quote(column.header)).join(';')}\r\n`,
    row: (row) => `${columns.map((column) => quote(text(column.kind ?? 'text', column.value(row)))).join(';')}\r\n`,
  };
}

export function excelCsvText<Row>(columns: readonly SheetColumn<Row>[], rows: readonly Row[], options: SheetOptions): string {
  const writer = excelCsv(columns, options);
  return writer.header + rows.map(writer.row).join('');
}

/**
 * A workbook written row by row to a stream (an export of ten years never
 * sits in memory): the same header, formats and frozen row as
 * spreadsheetBytes; widths from the columns' kinds.
 */
export async function streamSpreadsheet<Row>(stream: Writable, columns: readonly SheetColumn<Row>[], rows: AsyncIterable<Row>, options: SheetOptions): Promise<number> {
  const ExcelJS = loadExcel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'urp';
  const sheet = workbook.addWorksheet(sheetName(options.title ?? 'urp'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: widthOf(column, []), style: FORMATS[column.kind ?? 'text'] ? { numFmt: FORMATS[column.kind ?? 'text']! } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(columns.map((column) => cellValue(column.kind ?? 'text', column.value(row), options.timeZone))).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

export async function writeExcelCsv<Row>(stdout: Writable & { isTTY?: boolean }, columns: readonly SheetColumn<Row>[], rows: readonly Row[], options: SheetOptions): Promise<void> {
  const text = excelCsvText(columns, rows, options);
  if (options.output === undefined) {
    stdout.write(text);
    return;
  }
  writeOutputBytes({ stdout, database: options.database }, Buffer.from(text, 'utf8'), options.output, undefined, 'CSV');
}
