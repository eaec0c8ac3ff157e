import { countReports, listReports } from '../../domain/report-queries.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import { reportFilterShape, reportFilters } from '../report-filter-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { listFormat } from '../output.js';
import { reportColumns, reportCsvColumns, reportSheetColumns } from '../render/reports.js';

/**
 * `urp report list [filters]`: most recently received first. On a terminal,
 * without --limit or --all, one screen and how many more there are; --all
 * goes through the pager. Piped, and in every other format, all of them.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions(
    {
      ...reportFilterShape,
      all: flag,
      asOf: text,
      json: flag,
      csv: flag,
      csvExcel: flag,
      xlsx: flag,
      output: text,
    },
    options,
  );
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters = await reportFilters(db, input, settings.timeZone, context.areaScope, context.clock(), asOf);
  const format = listFormat(input);
  // A screen: the header, its rule, the rows and the line that says how many more.
  const screen = format === 'table' && context.output.rich && input.limit === undefined && !input.all ? Math.max(5, context.output.height - 4) : undefined;
  const reports = await listReports(db, screen === undefined ? filters : { ...filters, limit: screen }, asOf);
  const list = {
    rows: reports,
    table: reportColumns(context, settings, asOf),
    csv: reportCsvColumns(),
    sheet: reportSheetColumns(context),
    title: context.t('report.sheet'),
    empty: context.t('report.noneFound'),
  };
  const target = { output: input.output, timeZone: settings.timeZone, language: context.language, database: context.databasePath };
  if (format === 'table' && context.output.rich && reports.length > 0 && input.all) {
    return context.output.page(await context.output.tableText(list.table, list.rows));
  }
  await context.output.emit(format, list, target);
  if (screen !== undefined && reports.length === screen) {
    const more = (await countReports(db, filters, asOf)) - screen;
    if (more > 0) context.output.info(context.t('report.more', { count: more, shown: screen }));
  }
}
