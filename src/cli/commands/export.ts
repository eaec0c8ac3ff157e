import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import Papa from 'papaparse';
import { findAreaRow } from '../../domain/areas.js';
import { findCategory } from '../../domain/categories.js';
import { parseDateInput } from '../../domain/date-input.js';
import { InputError } from '../../domain/errors.js';
import { EXPORT_CSV_COLUMNS, exportRecords, openServiceRequests } from '../../domain/export/exporter.js';
import type { ReportFilters } from '../../domain/report-queries.js';
import { channels, reportTypes, statuses } from '../../domain/vocabulary.js';
import { asOfOption } from '../as-of.js';
import { parseOptions, text, texts } from '../command-options.js';
import type { CliContext } from '../context.js';
import { FORMULA } from '../output.js';
import type { CommandInput } from '../program.js';

/**
 * `urp export [--format csv|json|jsonl|open311] [filters] [--output F]`:
 * streamed, so ten years of reports never sit in memory. CSV cells that a
 * spreadsheet would run as formulas are neutralised.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions(
    { format: text, output: text, status: texts, area: text, type: text, channel: text, category: text, from: text, to: text, search: text, asOf: text },
    options,
  );
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const date = (value: string | undefined, field: string, endOfDay: boolean) => {
    if (value === undefined) return undefined;
    const parsed = parseDateInput(value, settings.timeZone, { endOfDay });
    if (!parsed) throw new InputError('date.invalid', {}, field);
    return parsed.instant;
  };
  const code = <Code extends string>(value: string | undefined, vocabulary: { parse(text: string): Code | undefined; codes: readonly Code[] }, field: string, key: 'report.typeUnknown' | 'report.channelUnknown' | 'report.statusUnknown') => {
    if (value === undefined) return undefined;
    const found = vocabulary.parse(value);
    if (!found) throw new InputError(key, { value: value.slice(0, 40), allowed: vocabulary.codes.join(', ') }, field);
    return found;
  };
  const filters: ReportFilters = {
    status: input.status?.flatMap((value) => value.split(',')).map((value) => code(value, statuses, 'status', 'report.statusUnknown')!),
    type: code(input.type, reportTypes, 'type', 'report.typeUnknown'),
    channel: code(input.channel, channels, 'channel', 'report.channelUnknown'),
    areaId: input.area === undefined ? undefined : (await findAreaRow(db, input.area)).id,
    categoryId: input.category === undefined ? undefined : (await findCategory(db, input.category)).id,
    from: date(input.from, 'from', false),
    to: date(input.to, 'to', true),
    search: input.search?.trim() || undefined,
  };

  const target: Writable = input.output ? createWriteStream(input.output, { mode: 0o600 }) : context.streams.stdout;
  const opened = input.output
    ? new Promise<void>((resolve, reject) => {
        target.once('open', () => resolve());
        target.once('error', () => reject(new InputError('import.cannotRead', { path: input.output! }, 'output')));
      })
    : Promise.resolve();
  await opened;
  const write = async (chunk: string) => {
    if (!target.write(chunk)) await new Promise<void>((resolve) => target.once('drain', resolve));
  };

  let count = 0;
  const format = input.format ?? 'csv';
  if (format === 'csv') {
    await write(`${Papa.unparse([EXPORT_CSV_COLUMNS.map((column) => column.header)])}\n`);
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length) await write(`${Papa.unparse(batch, { escapeFormulae: FORMULA, newline: '\n' })}\n`);
      batch = [];
    };
    for await (const record of exportRecords(db, filters, asOf)) {
      batch.push(EXPORT_CSV_COLUMNS.map(({ field }) => record[field] ?? ''));
      count++;
      if (batch.length === 500) await flush();
    }
    await flush();
  } else if (format === 'jsonl') {
    for await (const record of exportRecords(db, filters, asOf)) {
      await write(`${JSON.stringify(record)}\n`);
      count++;
    }
  } else {
    // A JSON array, written element by element.
    const records = format === 'open311' ? openServiceRequests(db, filters, asOf, settings.timeZone) : exportRecords(db, filters, asOf);
    await write('[');
    for await (const record of records) {
      await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`);
      count++;
    }
    await write(count ? '\n]\n' : ']\n');
  }
  if (input.output) {
    await new Promise<void>((resolve, reject) => target.end((error?: Error | null) => (error ? reject(error) : resolve())));
    context.output.info(context.t('export.written', { count, path: input.output }));
  }
}
