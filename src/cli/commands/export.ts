import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { recordPersonalDataRead } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { countReports } from '../../domain/report-queries.js';
import { EXPORT_CSV_COLUMNS, exportLines, exportRecordBatches, openServiceRequestLines } from '../../domain/export/exporter.js';
import { csvLine } from '../../text/csv.js';
import { asOfOption } from '../as-of.js';
import { parseOptions, text } from '../command-options.js';
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
    { format: text, output: text, ...reportFilterShape, asOf: text },
    options,
  );
  const format = input.format ?? 'csv';
  // Open311 carries no personal data; every other format does (area operators: Open311 only).
  const personal = format !== 'open311';
  const store = personal ? await context.auditedRead() : await context.store();
  const { db } = store;
  forWholeRegisterScan(db);
  if (personal && context.role === 'area') throw new InputError('permission.exportPersonal', {}, 'format');
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters = await reportFilters(db, input, settings.timeZone, context.areaScope, asOf);

  if (input.output) checkOutputPath(input.output, 'output', { database: context.databasePath });
  if (input.output) {
    try {
      createPrivateFile(input.output, context.databasePath);
    } catch {
      throw new InputError('output.cannotWrite', { path: input.output }, 'output');
    }
  }
  const sink = input.output ? fileSink(input.output) : streamSink(context.streams.stdout);
  // Recorded before a row is written: no export of personal data goes unrecorded.
  if (personal) await recordPersonalDataRead(db, context.actor(), `export --format ${format}`, await countReports(db, filters, asOf));
  const write = sink.write;

  let count = 0;
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
  if (format === 'csv') {
    await write(`${csvLine(EXPORT_CSV_COLUMNS.map((column) => column.header))}\n`);
    if (input.output || !context.output.rich) {
      // The data as stored, each line written by the engine.
      await lines(exportLines(db, filters, asOf, 'csv'), '\n');
      if (count > 0) await write('\n');
    } else {
      // On a terminal, as any CSV urp prints there (see Output.csvCell): control characters shown, not obeyed.
      const cell = (value: unknown) => (typeof value === 'string' ? context.output.csvCell(value) : value);
      for await (const batch of exportRecordBatches(db, filters, asOf)) {
        let text = '';
        for (const record of batch) text += `${csvLine(EXPORT_CSV_COLUMNS.map(({ field }) => cell(record[field] ?? '') as string | number | boolean))}\n`;
        count += batch.length;
        await write(text);
      }
    }
  } else if (format === 'jsonl') {
    await lines(exportLines(db, filters, asOf, 'json'), '\n', '', escapeUnsafeInJson);
    if (count > 0) await write('\n');
  } else {
    // A JSON array, written element by element.
    await write('[');
    await lines(format === 'open311' ? openServiceRequestLines(db, filters, asOf, settings.timeZone) : exportLines(db, filters, asOf, 'json'), ',\n', '\n', escapeUnsafeInJson);
    await write(count ? '\n]\n' : ']\n');
  }
  sink.end();
  if (input.output) context.output.info(context.t('export.written', { count, path: input.output }));
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
  let descriptor: number;
  try {
    descriptor = openSync(path, 'w');
  } catch {
    throw new InputError('output.cannotWrite', { path }, 'output');
  }
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
