import type { MessageKey } from '../../i18n/messages.js';
import { queues } from '../../domain/queues.js';
import type { Report } from '../../domain/reports.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { areaFilter } from '../report-filter-options.js';
import type { CommandInput } from '../command-types.js';
import { type Column, listFormat } from '../output.js';
import { reportColumns, reportCsvColumns, reportSheetColumns } from '../render/reports.js';
import type { SheetColumn } from '../spreadsheet.js';

type QueueRow = Report & { readonly queue: string; readonly title: string };

/**
 * `urp queue [--area A] [--all] [--json|--csv|--xlsx|--csv-excel]`: what URP and each area must do next. Each
 * pile comes as its size and its first reports (the most urgent; the answered
 * ones to close, the oldest); `--all` lists every report, in every format.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ area: text, asOf: text, all: flag, json: flag, csv: flag, csvExcel: flag, xlsx: flag, output: text }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const areaIds = await areaFilter(db, input.area, context.areaScope);
  const result = await queues(db, asOf, { areaIds, all: input.all === true });
  if (input.json) return context.output.json(areaIds === undefined ? result : { areas: result.areas });
  const format = listFormat(input);
  if (format !== 'table') {
    // One row per report, its queue first: `urp:to_assign`, `ambiente:to_reply`... (in a spreadsheet, the pile's title).
    const rows: QueueRow[] = [];
    const add = (queue: string, title: string, reports: Report[]) => rows.push(...reports.map((report) => ({ ...report, queue, title })));
    if (areaIds === undefined) {
      add('urp:to_assign', context.t('queue.urpToAssign'), result.urp.toAssign);
      add('urp:returned', context.t('queue.urpReturned'), result.urp.returned);
      add('urp:to_close', context.t('queue.urpToClose'), result.urp.toClose);
    }
    for (const area of result.areas) {
      const names = { name: area.name, area: area.area };
      add(`${area.area}:to_acknowledge`, context.t('queue.areaToAcknowledge', names), area.toAcknowledge);
      add(`${area.area}:to_reply`, context.t('queue.areaToReply', names), area.toReply);
      add(`${area.area}:suspended`, context.t('queue.areaSuspended', names), area.suspended);
    }
    const csv: Array<Column<QueueRow>> = [{ header: 'queue', value: (row) => row.queue }, ...reportCsvColumns()];
    const sheet: Array<SheetColumn<QueueRow>> = [{ header: context.t('column.queue'), value: (row) => row.title, width: 40 }, ...reportSheetColumns(context)];
    const target = { output: input.output, timeZone: settings.timeZone, language: context.language, database: context.databasePath };
    return context.output.emit(format, { rows, table: csv, csv, sheet, title: context.t('queue.sheet') }, target);
  }

  const columns = reportColumns(context, settings, asOf, { citizen: false });
  const { colour } = context.output;
  let printed = false;
  const section = async (title: MessageKey, params: Record<string, string>, reports: Report[], total: number) => {
    if (total === 0) return;
    context.output.write(`${printed ? '\n' : ''}${colour.bold(context.t(title, params))} (${total})`);
    await context.output.table(columns, reports);
    if (reports.length < total) context.output.write(context.t('queue.firstShown', { shown: reports.length, count: total }));
    printed = true;
  };
  if (areaIds === undefined) {
    const { counts } = result.urp;
    await section('queue.urpToAssign', {}, result.urp.toAssign, counts.toAssign);
    await section('queue.urpReturned', {}, result.urp.returned, counts.returned);
    await section('queue.urpToClose', {}, result.urp.toClose, counts.toClose);
  }
  for (const area of result.areas) {
    const names = { name: area.name, area: area.area };
    await section('queue.areaToAcknowledge', names, area.toAcknowledge, area.counts.toAcknowledge);
    await section('queue.areaToReply', names, area.toReply, area.counts.toReply);
    await section('queue.areaSuspended', names, area.suspended, area.counts.suspended);
  }
  if (!printed) context.output.info(context.t('queue.empty'));
}
