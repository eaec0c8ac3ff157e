import { listReports } from '../../domain/report-queries.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import { reportFilterShape, reportFilters } from '../report-filter-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { reportColumns, reportCsvColumns } from '../render/reports.js';

/** `urp report list [filters]`: most recently received first. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions(
    {
      ...reportFilterShape,
      asOf: text,
      json: flag,
      csv: flag,
    },
    options,
  );
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters = await reportFilters(db, input, settings.timeZone, context.areaScope);
  const reports = await listReports(db, filters, asOf);
  if (input.json) return context.output.json(reports);
  if (input.csv) return context.output.csv(reportCsvColumns(), reports);
  if (reports.length === 0) return context.output.info(context.t('report.noneFound'));
  await context.output.table(reportColumns(context, settings, asOf), reports);
}
