import { closeSync, createWriteStream, openSync, rmSync, statSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { recordPersonalDataRead } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { countReports } from '../../domain/report-queries.js';
import { EXPORT_CSV_COLUMNS, exportLines, exportRecordBatches, openServiceRequestLines, openServiceRequests } from '../../domain/export/exporter.js';
import { engineOf } from '../../storage/engine.js';
import { csvLine } from '../../text/csv.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import { channels, outcomes, replyChannels, reportTypes, statuses } from '../../domain/vocabulary.js';
import type { ExportRecord } from '../../domain/export/exporter.js';
import { translateOptional } from '../../i18n/messages.js';
import type { SheetColumn, SheetKind } from '../spreadsheet.js';
import { reportFilterShape, reportFilters } from '../report-filter-options.js';
import type { CliContext } from '../context.js';
import { checkOutputPath } from '../output-file.js';
import { createPrivateFile } from '../../storage/private-files.js';
import { forWholeRegisterScan } from '../../storage/page-cache.js';
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
  forWholeRegisterScan(db);
  if (personal && context.role === 'area') throw new InputError('permission.exportPersonal', {}, 'format');
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters = await reportFilters(db, input, settings.timeZone, context.areaScope, context.clock(), asOf);

  if (input.output) checkOutputPath(input.output, 'output', { database: context.databasePath });
  if (input.output) {
    try {
      createPrivateFile(input.output, context.databasePath);
    } catch {
      throw new InputError('output.cannotWrite', { path: input.output }, 'output');
    }
  }
  // Recorded before a row is written: no export of personal data goes unrecorded.
  if (personal) await recordPersonalDataRead(db, context.actor(), `export --format ${format}`, await countReports(db, filters, asOf));

  try {
    let count = 0;
    const records = async function* () {
      for await (const batch of exportRecordBatches(db, filters, asOf)) yield* batch;
    };
    const sheet = { timeZone: settings.timeZone, language: context.language, database: context.databasePath, title: context.t('report.sheet') };
    if (format === 'xlsx') {
      // The workbook writer needs a stream, and ends it itself.
      // Opened here, so that a path that cannot be written (a folder) is refused before a row is read, as for the other formats.
      const target: Writable = input.output ? createWriteStream(input.output, { fd: openOutput(input.output) }) : context.streams.stdout;
      count = await (await import('../spreadsheet.js')).streamSpreadsheet(target, exportSheetColumns(context), records(), sheet);
      if (input.output) {
        if (!target.writableFinished) await new Promise<void>((resolve, reject) => target.once('finish', () => resolve()).once('error', reject));
        context.output.info(context.t('export.written', { count, path: input.output }));
      }
      return;
    }

    const sink = input.output ? fileSink(input.output) : streamSink(context.streams.stdout);
    const write = sink.write;
    // Written in pieces of about 64 KB: larger strings live in V8's large-object space until a full collection.
    // JSON text with the invisible and bidirectional characters JSON.stringify leaves raw written as escapes (the same values).
    const lines = async (batches: AsyncGenerator<string[]>, separator: string, first = '', json: (line: string) => string = (line) => line) => {
      for await (const batch of batches) {
        let text = '';
        for (const line of batch) {
          text += `${count++ === 0 ? first : separator}${json(line)}`;
          if (text.length > 65_536) {
            await write(text);
            text = '';
          }
        }
        if (text) await write(text);
      }
    };
    // SQLite writes each line itself (storage/export-rows.ts); another engine's rows are written here, by the same rules.
    const byEngine = engineOf(db) === 'sqlite';
    const recordLines = async function* (cell: (record: ExportRecord) => string) {
      for await (const batch of exportRecordBatches(db, filters, asOf)) yield batch.map(cell);
    };
    const requestLines = async function* () {
      for await (const batch of openServiceRequests(db, filters, asOf, settings.timeZone)) yield batch.map((request) => JSON.stringify(request));
    };
    if (format === 'csv-excel') {
      const writer = (await import('../spreadsheet.js')).excelCsv(exportSheetColumns(context), sheet);
      await write(writer.header);
      await lines(recordLines(writer.row), '');
    } else if (format === 'csv') {
      await write(`${csvLine(EXPORT_CSV_COLUMNS.map((column) => column.header))}\n`);
      // To a file or a pipe, the data as stored; on a terminal, as any CSV urp prints there (see Output.csvCell): control characters shown, not obeyed.
      const terminal = !input.output && context.output.rich;
      const cell = (value: unknown) => (terminal && typeof value === 'string' ? context.output.csvCell(value) : value);
      const csv = (record: ExportRecord) => csvLine(EXPORT_CSV_COLUMNS.map(({ field }) => cell(record[field] ?? '') as string | number | boolean));
      await lines(byEngine && !terminal ? exportLines(db, filters, asOf, 'csv') : recordLines(csv), '\n');
      if (count > 0) await write('\n');
    } else if (format === 'jsonl') {
      await lines(byEngine ? exportLines(db, filters, asOf, 'json') : recordLines((record) => JSON.stringify(record)), '\n', '', escapeUnsafeInJson);
      if (count > 0) await write('\n');
    } else {
      // A JSON array, written element by element.
      await write('[');
      const elements = format === 'open311'
        ? (byEngine ? openServiceRequestLines(db, filters, asOf, settings.timeZone) : requestLines())
        : (byEngine ? exportLines(db, filters, asOf, 'json') : recordLines((record) => JSON.stringify(record)));
      await lines(elements, ',\n', '\n', escapeUnsafeInJson);
      await write(count ? '\n]\n' : ']\n');
    }
    sink.end();
    if (input.output) context.output.info(context.t('export.written', { count, path: input.output }));
  } catch (error) {
    // A file left half written would hold personal data and belie the message (nothing was written).
    if (input.output) removePartialFile(input.output);
    throw error;
  }
}

/** The output file, opened for writing (emptied), or an InputError naming it. */
function openOutput(path: string): number {
  try {
    return openSync(path, 'w');
  } catch {
    throw new InputError('output.cannotWrite', { path }, 'output');
  }
}

/** Removes what a failed export wrote to a regular file (never a device or a pipe given as the output). */
function removePartialFile(path: string): void {
  try {
    if (statSync(path).isFile()) rmSync(path);
  } catch {
    // Gone already, or not ours to remove: the error that stopped the export is the one to say.
  }
}

interface Sink {
  write(text: string): Promise<void>;
  end(): void;
}

/** Standard output: written as a stream, waiting when the reader is slower. */
function streamSink(target: Writable): Sink {
  return {
    write: async (text) => {
      if (!target.write(text)) await new Promise<void>((resolve) => target.once('drain', resolve));
    },
    end: () => undefined,
  };
}

/**
 * A file: written straight from one reused buffer, so that a million rows
 * leave no trail of buffers for the garbage collector to catch up with
 * (the process's memory stays flat, whatever the size of the register).
 */
function fileSink(path: string): Sink {
  const descriptor = openOutput(path);
  let buffer = Buffer.allocUnsafe(1 << 20);
  return {
    write: async (text) => {
      const length = Buffer.byteLength(text);
      if (length > buffer.length) buffer = Buffer.allocUnsafe(length * 2);
      buffer.write(text, 0, length, 'utf8');
      for (let written = 0; written < length; ) written += writeSync(descriptor, buffer, written, length - written);
    },
    end: () => closeSync(descriptor),
  };
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
