import { findAreaRow } from '../../domain/areas.js';
import { findCategory } from '../../domain/categories.js';
import { parseDateInput } from '../../domain/date-input.js';
import { InputError } from '../../domain/errors.js';
import { type ReportFilters, listReports } from '../../domain/report-queries.js';
import { channels, reportTypes, statuses } from '../../domain/vocabulary.js';
import { asOfOption } from '../as-of.js';
import { citizenId, count, flag, parseOptions, text, texts } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';
import { reportColumns, reportCsvColumns } from '../render/reports.js';

function vocabularyFilter<Code extends string>(
  value: string | undefined,
  vocabulary: { parse(text: string): Code | undefined; codes: readonly Code[] },
  field: string,
  key: 'report.typeUnknown' | 'report.channelUnknown' | 'report.statusUnknown',
): Code | undefined {
  if (value === undefined) return undefined;
  const code = vocabulary.parse(value);
  if (!code) throw new InputError(key, { value: value.slice(0, 40), allowed: vocabulary.codes.join(', ') }, field);
  return code;
}

function dateFilter(value: string | undefined, field: string, timeZone: string, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDateInput(value, timeZone, { endOfDay });
  if (!parsed) throw new InputError('date.invalid', {}, field);
  return parsed.instant;
}

/** `urp report list [filters]`: most recently received first. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions(
    {
      status: texts,
      area: text,
      type: text,
      channel: text,
      category: text,
      citizen: text,
      from: text,
      to: text,
      search: text,
      late: flag,
      limit: count,
      asOf: text,
      json: flag,
      csv: flag,
    },
    options,
  );
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const filters: ReportFilters = {
    status: input.status
      ?.flatMap((value) => value.split(','))
      .map((value) => vocabularyFilter(value, statuses, 'status', 'report.statusUnknown')!),
    type: vocabularyFilter(input.type, reportTypes, 'type', 'report.typeUnknown'),
    channel: vocabularyFilter(input.channel, channels, 'channel', 'report.channelUnknown'),
    areaId: input.area === undefined ? undefined : (await findAreaRow(db, input.area)).id,
    categoryId: input.category === undefined ? undefined : (await findCategory(db, input.category)).id,
    citizenId: input.citizen === undefined ? undefined : citizenId(input.citizen, 'citizen'),
    from: dateFilter(input.from, 'from', settings.timeZone, false),
    to: dateFilter(input.to, 'to', settings.timeZone, true),
    search: input.search?.trim() || undefined,
    late: input.late,
    limit: input.limit,
  };
  const reports = await listReports(db, filters, asOf);
  if (input.json) return context.output.json(reports);
  if (input.csv) return context.output.csv(reportCsvColumns(), reports);
  if (reports.length === 0) return context.output.info(context.t('report.noneFound'));
  await context.output.table(reportColumns(context, settings, asOf), reports);
}
