import { InputError, echo } from '../../domain/errors.js';
import { type Stats, type StatsFigures, type StatsGroup, statistics } from '../../domain/statistics.js';
import { channels, reportTypes, statsGroups } from '../../domain/vocabulary.js';
import { localeOf } from '../../i18n/language.js';
import type { MessageKey } from '../../i18n/messages.js';
import { asOfOption } from '../as-of.js';
import { statisticsPeriod } from '../report-filter-options.js';
import { flag, parseOptions, text } from '../command-options.js';
import { columnReader } from '../../storage/column-reader.js';
import type { CliContext } from '../context.js';
import { type Column, listFormat } from '../output.js';
import type { CommandInput } from '../command-types.js';
import { formatDate } from '../render/dates.js';
import type { SheetColumn, SheetKind } from '../spreadsheet.js';
import { safeLine } from '../terminal-text.js';
import { fitText } from '../text-width.js';

/**
 * `urp stats [--from D] [--to D] [--by area|type|channel|category|month]`:
 * the quality figures for the reports received in a period (default: this
 * year to date). The README defines every figure. `--by` takes the Italian
 * names too (`--by mese`).
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ from: text, to: text, by: text, asOf: text, json: flag, csv: flag, csvExcel: flag, xlsx: flag, output: text }, options);
  let by: StatsGroup | undefined;
  if (input.by !== undefined) {
    by = statsGroups.parse(input.by);
    if (!by) throw new InputError('stats.groupUnknown', { value: echo(input.by) }, 'by');
  }
  const store = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const { from, to } = statisticsPeriod(input, settings.timeZone, asOf, context.clock());

  const stats = await statistics(store.db, { from, to, asOf, by, timeZone: settings.timeZone }, columnReader(store));
  const format = listFormat(input);
  if (format === 'json') return context.output.json(stats);
  if (format !== 'table') {
    // CSV: codes, for programs whatever the user's language; a spreadsheet: labels, typed cells.
    const machine = format === 'csv';
    const rows = [
      ...stats.groups.map((group) => ({ label: machine ? (group.group ?? '') : groupLabel(context, by, group.group), figures: group.figures })),
      { label: machine ? 'total' : context.t('stats.total'), figures: stats.total },
    ];
    return context.output.emit(
      format,
      { rows, table: [], csv: csvColumns(by), sheet: sheetColumns(context, by), title: context.t('stats.sheet') },
      { output: input.output, timeZone: settings.timeZone, language: context.language, database: context.databasePath },
    );
  }
  const rows = [...stats.groups.map((group) => ({ label: groupLabel(context, by, group.group), figures: group.figures })), { label: context.t('stats.total'), figures: stats.total }];
  const columns = figureColumns(context, by);

  const period = `${formatDate(stats.from, settings.timeZone, context.language, true)} – ${formatDate(stats.to, settings.timeZone, context.language, true)}`;
  context.output.write(context.output.colour.bold(context.t('stats.title', { organisation: settings.organisationName, period })));
  if (!context.output.rich) return context.output.table(columns, rows);

  // On a terminal (issue 15): the groups in a table that fits the terminal (100 columns at most),
  // the totals as a list, then on-time replies per area as bars.
  const width = Math.min(100, context.output.width);
  if (by) {
    const shown = columns.filter((column) => column.short !== undefined).map((column) => ({ ...column, header: column.short! }));
    await context.output.table([{ ...columns[0]!, shrink: true }, ...shown], rows.slice(0, -1), { width });
    context.output.write('');
  }
  context.output.write(context.output.colour.bold(context.t('stats.total')));
  context.output.fields(columns.slice(1).map((column) => [`  ${column.header}`, column.value(rows.at(-1)!)] as const));
  const byArea = by === 'area' ? stats : await statistics(store.db, { from, to, asOf, by: 'area', timeZone: settings.timeZone }, columnReader(store));
  context.output.write(`\n${areaChart(context, byArea, settings.targetOnTimeReply, width)}`);
  if (by === 'month') context.output.write(`\n${monthChart(context, stats, width)}`);
}

type Row = { label: string; figures: StatsFigures };

/** Every figure: its label, a short one for the terminal's table (those shown there), its CSV name, its value and kind. */
interface Figure {
  readonly label: MessageKey;
  readonly short?: MessageKey;
  readonly csv: string;
  readonly value: (figures: StatsFigures) => number | null;
  readonly kind: 'integer' | 'number' | 'percent';
}

const FIGURES: readonly Figure[] = [
  { label: 'stats.received', short: 'stats.short.received', csv: 'received', value: (f) => f.received, kind: 'integer' },
  { label: 'stats.rejected', csv: 'rejected', value: (f) => f.rejected, kind: 'integer' },
  { label: 'stats.answered', csv: 'answered', value: (f) => f.answered, kind: 'integer' },
  { label: 'stats.open', short: 'stats.short.open', csv: 'open', value: (f) => f.open, kind: 'integer' },
  { label: 'stats.assignedOnTime', short: 'stats.short.assignedOnTime', csv: 'assigned_on_time_percent', value: (f) => f.assignedOnTime.percent, kind: 'percent' },
  { label: 'stats.answeredOnTime', short: 'stats.short.answeredOnTime', csv: 'answered_on_time_percent', value: (f) => f.answeredOnTime.percent, kind: 'percent' },
  { label: 'stats.medianDays', short: 'stats.short.medianDays', csv: 'median_days_to_answer', value: (f) => f.medianDaysToAnswer, kind: 'number' },
  { label: 'stats.p90Days', short: 'stats.short.p90Days', csv: 'p90_days_to_answer', value: (f) => f.p90DaysToAnswer, kind: 'number' },
  { label: 'stats.medianHours', csv: 'median_hours_to_assign', value: (f) => f.medianHoursToAssign, kind: 'number' },
  { label: 'stats.lateNow', short: 'stats.short.lateNow', csv: 'late_now', value: (f) => f.lateNow, kind: 'integer' },
  { label: 'stats.resolved', csv: 'resolved', value: (f) => f.outcomes.resolved, kind: 'integer' },
  { label: 'stats.unresolved', csv: 'unresolved', value: (f) => f.outcomes.unresolved, kind: 'integer' },
  { label: 'stats.information', csv: 'information', value: (f) => f.outcomes.information, kind: 'integer' },
  { label: 'stats.notCompetent', csv: 'not_competent', value: (f) => f.outcomes.not_competent, kind: 'integer' },
];

function groupHeader(context: CliContext, by: StatsGroup | undefined): string {
  return by ? statsGroups.label(by, context.language) : '';
}

/** For people: numbers in the user's locale (87,5% in Italian). */
function figureColumns(context: CliContext, by: StatsGroup | undefined): Array<Column<Row> & { short?: string }> {
  const numbers = new Intl.NumberFormat(localeOf(context.language));
  const shown = (value: number | null, kind: Figure['kind']) => (value === null ? '' : kind === 'percent' ? `${numbers.format(value)}%` : numbers.format(value));
  return [
    { header: groupHeader(context, by), value: (row) => row.label },
    ...FIGURES.map((figure) => ({
      header: context.t(figure.label),
      ...(figure.short ? { short: context.t(figure.short) } : {}),
      value: (row: Row) => shown(figure.value(row.figures), figure.kind),
      right: true,
    })),
  ];
}

/** --csv: codes and plain numbers, the names stable for programs. */
function csvColumns(by: StatsGroup | undefined): Column<Row>[] {
  return [{ header: by ?? 'group', value: (row) => row.label }, ...FIGURES.map((figure) => ({ header: figure.csv, value: (row: Row) => String(figure.value(row.figures) ?? '') }))];
}

/** --xlsx and --csv-excel: labels, counts as numbers, percentages as percentages. */
function sheetColumns(context: CliContext, by: StatsGroup | undefined): SheetColumn<Row>[] {
  return [
    { header: groupHeader(context, by) || context.t('stats.period'), value: (row) => row.label, width: 28 },
    ...FIGURES.map((figure) => ({ header: context.t(figure.label), value: (row: Row) => figure.value(row.figures), kind: figure.kind as SheetKind })),
  ];
}

/** Answered on time per area, as bars against the target (setting target-on-time-reply). */
function areaChart(context: CliContext, stats: Stats, target: number, width: number): string {
  const { colour } = context.output;
  const numbers = new Intl.NumberFormat(localeOf(context.language));
  const labels = stats.groups.map((group) => safeLine(groupLabel(context, 'area', group.group)));
  const labelWidth = Math.min(24, Math.max(4, ...labels.map((label) => label.length)));
  const barWidth = Math.max(10, Math.min(40, width - labelWidth - 20));
  const lines = [colour.bold(context.t('stats.chart.areas', { target }))];
  if (stats.groups.length === 0) lines.push(`  ${context.t('stats.chart.none')}`);
  stats.groups.forEach((group, index) => {
    const { percent, count, of } = group.figures.answeredOnTime;
    const label = fitText(labels[index]!, labelWidth).padEnd(labelWidth);
    const bar = percent === null ? '' : colour[percent >= target ? 'green' : percent >= target - 15 ? 'yellow' : 'red'](blocks(percent / 100, barWidth));
    const value = percent === null ? '—' : `${numbers.format(percent)}% (${count}/${of})`;
    lines.push(`${label}  ${bar}${' '.repeat(barWidth - visibleLength(percent, barWidth))}  ${value}`);
  });
  return lines.join('\n');
}

/** A bar of `fraction` × `width` cells, in eighths. */
function blocks(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
}

function visibleLength(percent: number | null, width: number): number {
  return percent === null ? 0 : blocks(percent / 100, width).length;
}

function groupLabel(context: CliContext, by: StatsGroup | undefined, group: string | null): string {
  if (group === null) return context.t('stats.none');
  if (by === 'type' && reportTypes.is(group)) return reportTypes.label(group, context.language);
  if (by === 'channel' && channels.is(group)) return channels.label(group, context.language);
  return group;
}

/** On a terminal, `--by month` also draws volumes and the on-time percentage as bars. */
function monthChart(context: CliContext, stats: Stats, width: number): string {
  const barWidth = Math.max(10, Math.min(40, Math.floor(((width - 24) * 2) / 3)));
  const most = Math.max(1, ...stats.groups.map((group) => group.figures.received));
  const { colour } = context.output;
  const lines = [colour.bold(context.t('stats.chart.months'))];
  for (const group of stats.groups) {
    const onTime = group.figures.answeredOnTime.percent;
    const onTimeBar = onTime === null ? '' : colour[onTime >= 90 ? 'green' : onTime >= 75 ? 'yellow' : 'red'](blocks(onTime / 100, Math.floor(barWidth / 2)));
    lines.push(`${group.group}  ${colour.cyan(blocks(group.figures.received / most, barWidth).padEnd(barWidth))} ${String(group.figures.received).padStart(6)}   ${onTimeBar} ${onTime === null ? '—' : `${onTime}%`}`);
  }
  return lines.join('\n');
}
