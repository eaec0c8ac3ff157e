import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import Papa from 'papaparse';
import { recordPersonalDataRead } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { countReports } from '../../domain/report-queries.js';
import { EXPORT_CSV_COLUMNS, exportRecords, openServiceRequests } from '../../domain/export/exporter.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import { channels, outcomes, replyChannels, reportTypes, statuses } from '../../domain/vocabulary.js';
import type { ExportRecord } from '../../domain/export/exporter.js';
import { translateOptional } from '../../i18n/messages.js';
import type { SheetColumn, SheetKind } from '../spreadsheet.js';
import { reportFilterShape, reportFilters } from '../report-filter-options.js';
import type { CliContext } from '../context.js';
import { FORMULA } from '../output.js';
import { checkOutputPath } from '../output-file.js';
import { createPrivateFile } from '../../storage/private-files.js';
import { escapeUnsafeInJson } from '../../text/control-characters.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp export [--format csv|json|jsonl|open311] [filters] [--output F]`:
 * streamed, so ten years of reports never sit in memory. CSV cells that a
 * spreadsheet would run as formulas are neutralised.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions(
    { format: text, output: text, csvExcel: flag, ...reportFilterShape, asOf: text },
    options,
  );
  const format = input.csvExcel ? 'csv-excel' : (input.format ?? 'csv');
  // A workbook is bytes: never onto a terminal.
  if (format === 'xlsx' && !input.output && context.streams.stdout.isTTY) throw new InputError('output.terminal', { format: 'XLSX' }, 'output');
  // Open311 carries no personal data; every other format does (area operators: Open311 only).
  const personal = format !== 'open311';
  const store = personal ? await context.auditedRead() : await context.store();
  const { db } = store;
  if (personal && context.role === 'area') throw new InputError('permission.exportPersonal', {}, 'format');
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters = await reportFilters(db, input, settings.timeZone, context.areaScope, context.clock());

  if (input.output) checkOutputPath(input.output, 'output', { database: context.databasePath });
  if (input.output) {
    try {
      createPrivateFile(input.output, context.databasePath);
    } catch {
      throw new InputError('output.cannotWrite', { path: input.output }, 'output');
    }
  }
  const target: Writable = input.output ? createWriteStream(input.output) : context.streams.stdout;
  const opened = input.output
    ? new Promise<void>((resolve, reject) => {
        target.once('open', () => resolve());
        target.once('error', () => reject(new InputError('output.cannotWrite', { path: input.output! }, 'output')));
      })
    : Promise.resolve();
  await opened;
  // Recorded before a row is written: no export of personal data goes unrecorded.
  if (personal) await recordPersonalDataRead(db, context.actor(), `export --format ${format}`, await countReports(db, filters, asOf));
  const write = async (chunk: string) => {
    if (!target.write(chunk)) await new Promise<void>((resolve) => target.once('drain', resolve));
  };

  let count = 0;
  const sheet = { timeZone: settings.timeZone, language: context.language, database: context.databasePath, title: context.t('report.sheet') };
  if (format === 'xlsx') {
    count = await (await import('../spreadsheet.js')).streamSpreadsheet(target, exportSheetColumns(context), exportRecords(db, filters, asOf), sheet);
  } else if (format === 'csv-excel') {
    const writer = (await import('../spreadsheet.js')).excelCsv(exportSheetColumns(context), sheet);
    await write(writer.header);
    for await (const record of exportRecords(db, filters, asOf)) {
      await write(writer.row(record));
      count++;
    }
  } else if (format === 'csv') {
    await write(`${Papa.unparse([EXPORT_CSV_COLUMNS.map((column) => column.header)])}\n`);
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length) await write(`${Papa.unparse(batch, { escapeFormulae: FORMULA, newline: '\n' })}\n`);
      batch = [];
    };
    // To stdout, as any CSV urp prints (see Output.csvCell); to a file, the data as stored.
    const cell = (value: unknown) => (!input.output && typeof value === 'string' ? context.output.csvCell(value) : value);
    for await (const record of exportRecords(db, filters, asOf)) {
      batch.push(EXPORT_CSV_COLUMNS.map(({ field }) => cell(record[field] ?? '')));
      count++;
      if (batch.length === 500) await flush();
    }
    await flush();
  } else if (format === 'jsonl') {
    for await (const record of exportRecords(db, filters, asOf)) {
      await write(`${escapeUnsafeInJson(JSON.stringify(record))}\n`);
      count++;
    }
  } else {
    // A JSON array, written element by element.
    const records = format === 'open311' ? openServiceRequests(db, filters, asOf, settings.timeZone) : exportRecords(db, filters, asOf);
    await write('[');
    for await (const record of records) {
      await write(`${count === 0 ? '\n' : ',\n'}${escapeUnsafeInJson(JSON.stringify(record))}`);
      count++;
    }
    await write(count ? '\n]\n' : ']\n');
  }
  if (input.output) {
    // The workbook writer ends the stream itself.
    if (!target.writableEnded) await new Promise<void>((resolve, reject) => target.end((error?: Error | null) => (error ? reject(error) : resolve())));
    else if (!target.writableFinished) await new Promise<void>((resolve) => target.once('finish', () => resolve()));
    context.output.info(context.t('export.written', { count, path: input.output }));
  }
}

/**
 * The export as a spreadsheet (--format xlsx, --csv-excel): every column of
 * the CSV, headed in the user's language, codes as labels, instants as
 * dates, counts as numbers, phones, codes and references as text.
 */
function exportSheetColumns(context: CliContext): SheetColumn<ExportRecord>[] {
  const { language } = context;
  const label = (field: keyof ExportRecord, record: ExportRecord): string | null => {
    const value = record[field];
    if (typeof value !== 'string') return null;
    if (field === 'type' && reportTypes.is(value)) return reportTypes.label(value, language);
    if (field === 'channel' && channels.is(value)) return channels.label(value, language);
    if (field === 'status' && statuses.is(value)) return statuses.label(value, language);
    if (field === 'outcome' && outcomes.is(value)) return outcomes.label(value, language);
    if (field === 'replyVia' && replyChannels.is(value)) return replyChannels.label(value, language);
    return null;
  };
  const kindOf = (field: string): SheetKind => {
    if (/At$/.test(field)) return 'instant';
    if (['suspendedDays', 'reopenCount', 'citizenId'].includes(field)) return 'integer';
    if (['lateToAssign', 'lateToReply'].includes(field)) return 'boolean';
    if (['number', 'externalRef', 'taxCode', 'phone', 'email', 'category', 'area'].includes(field)) return 'code';
    return 'text';
  };
  const widths: Partial<Record<string, number>> = { subject: 50, description: 60, replyText: 60, address: 36, location: 30, email: 30, number: 13, phone: 16, taxCode: 18 };
  return EXPORT_CSV_COLUMNS.map(({ field, header }) => ({
    header: translateOptional(language, `export.column.${field}`) ?? header,
    value: (record: ExportRecord) => label(field, record) ?? (record[field] as string | number | boolean | null),
    kind: kindOf(field),
    ...(widths[field] ? { width: widths[field] } : {}),
  }));
}
