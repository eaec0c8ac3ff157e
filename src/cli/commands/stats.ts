import { type Stats, type StatsFigures, type StatsGroup, statistics } from '../../domain/statistics.js';
import { channels, reportTypes } from '../../domain/vocabulary.js';
import { asOfOption } from '../as-of.js';
import { statisticsPeriod } from '../report-filter-options.js';
import { flag, parseOptions, text } from '../command-options.js';
import { columnReader } from '../../storage/column-reader.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import type { CommandInput } from '../command-types.js';
import { formatDate } from '../render/dates.js';
import { safeLine } from '../terminal-text.js';

/**
 * `urp stats [--from D] [--to D] [--by area|type|channel|category|month]`:
 * the quality figures for the reports received in a period (default: this
 * year to date). The README defines every figure.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ from: text, to: text, by: text, asOf: text, json: flag, csv: flag }, options);
  const store = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const { from, to } = statisticsPeriod(input, settings.timeZone, asOf);
  const by = input.by as StatsGroup | undefined;

  const stats = await statistics(store.db, { from, to, asOf, by, timeZone: settings.timeZone }, columnReader(store));
  if (input.json) return context.output.json(stats);

  if (input.csv) {
    // Codes, not labels: a CSV is read by programs whatever the user's language.
    const csvRows = [...stats.groups.map((group) => ({ label: group.group ?? '', figures: group.figures })), { label: 'total', figures: stats.total }];
    return context.output.csv(figureColumns(context, by, true), csvRows);
  }
  const rows = [...stats.groups.map((group) => ({ label: groupLabel(context, by, group.group), figures: group.figures })), { label: context.language === 'it' ? 'Totale' : 'Total', figures: stats.total }];
  const columns = figureColumns(context, by, false);

  const it = context.language === 'it';
  const period = `${formatDate(stats.from, settings.timeZone, context.language, true)} – ${formatDate(stats.to, settings.timeZone, context.language, true)}`;
  context.output.write(context.output.colour.bold(`${settings.organisationName} — ${it ? 'statistiche URP' : 'URP statistics'}, ${it ? 'ricevute' : 'received'} ${period}`));
  if (!context.output.rich) return context.output.table(columns, rows);

  // On a terminal (issue 15): the groups in a table that fits 100 columns,
  // the totals as a list, then on-time replies per area as bars.
  if (by) {
    const short = it ? TERMINAL_COLUMNS_IT : TERMINAL_COLUMNS_EN;
    const shown = columns.flatMap((column, index) => (index === 0 ? [column] : index in short ? [{ ...column, header: short[index]! }] : []));
    const numberWidth = 10;
    const groupWidth = TERMINAL_WIDTH - (shown.length + 1) - numberWidth * (shown.length - 1);
    await context.output.table(shown, rows.slice(0, -1), { widths: [groupWidth, ...shown.slice(1).map(() => numberWidth)] });
    context.output.write('');
  }
  context.output.write(context.output.colour.bold(it ? 'Totale' : 'Total'));
  context.output.fields(columns.slice(1).map((column) => [`  ${column.header}`, column.value(rows.at(-1)!)] as const));
  const byArea = by === 'area' ? stats : await statistics(store.db, { from, to, asOf, by: 'area', timeZone: settings.timeZone }, columnReader(store));
  context.output.write(`\n${areaChart(context, byArea, settings.targetOnTimeReply)}`);
  if (by === 'month') context.output.write(`\n${monthChart(context, stats)}`);
}

/** The terminal table's width: the 100 columns of a printout-friendly terminal. */
const TERMINAL_WIDTH = 100;
/**
 * The columns of figureColumns the terminal table shows, by index, with
 * headers whose words fit its cells (every figure is in the totals below,
 * and in --json and --csv).
 */
const TERMINAL_COLUMNS_EN: Record<number, string> = { 1: 'received', 4: 'open', 5: 'assigned on time', 6: 'answered on time', 7: 'median days', 8: '90th pct days', 10: 'late now' };
const TERMINAL_COLUMNS_IT: Record<number, string> = { 1: 'ricevute', 4: 'aperte', 5: 'assegn. in tempo', 6: 'risposte in tempo', 7: 'giorni mediana', 8: 'giorni 90° perc.', 10: 'in ritardo ora' };

/** Answered on time per area, as bars against the target (setting target-on-time-reply). */
function areaChart(context: CliContext, stats: Stats, target: number): string {
  const it = context.language === 'it';
  const { colour } = context.output;
  const width = 40;
  const labels = stats.groups.map((group) => safeLine(groupLabel(context, 'area', group.group)));
  const labelWidth = Math.min(24, Math.max(4, ...labels.map((label) => label.length)));
  const lines = [colour.bold(it ? `Risposte in tempo per area (obiettivo ${target}%)` : `Answered on time per area (target ${target}%)`)];
  if (stats.groups.length === 0) lines.push(it ? '  nessuna segnalazione' : '  no reports');
  stats.groups.forEach((group, index) => {
    const { percent, count, of } = group.figures.answeredOnTime;
    const label = labels[index]!.length > labelWidth ? `${labels[index]!.slice(0, labelWidth - 1)}…` : labels[index]!.padEnd(labelWidth);
    const bar = percent === null ? '' : colour[percent >= target ? 'green' : percent >= target - 15 ? 'yellow' : 'red'](blocks(percent / 100, width));
    const value = percent === null ? '—' : `${percent.toLocaleString(it ? 'it-IT' : 'en-GB')}% (${count}/${of})`;
    lines.push(`${label}  ${bar}${' '.repeat(width - visibleLength(percent, width))}  ${value}`);
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
  if (group === null) return context.language === 'it' ? '(nessuna)' : '(none)';
  if (by === 'type' && reportTypes.is(group)) return reportTypes.label(group, context.language);
  if (by === 'channel' && channels.is(group)) return channels.label(group, context.language);
  return group;
}

type Row = { label: string; figures: StatsFigures };

function figureColumns(context: CliContext, by: StatsGroup | undefined, csv: boolean): Column<Row>[] {
  const it = context.language === 'it';
  const number = (value: number | null) => (value === null ? '' : csv ? String(value) : value.toLocaleString(it ? 'it-IT' : 'en-GB'));
  const percent = (value: number | null) => (value === null ? '' : csv ? String(value) : `${number(value)}%`);
  const groupHeaders: Record<StatsGroup, [string, string]> = {
    area: ['area', 'area'],
    type: ['type', 'tipo'],
    channel: ['channel', 'canale'],
    category: ['category', 'categoria'],
    month: ['month', 'mese'],
  };
  const header = (english: string, italian: string, csvName: string) => (csv ? csvName : it ? italian : english);
  return [
    { header: csv ? (by ?? 'group') : by ? groupHeaders[by][it ? 1 : 0] : '', value: (row) => row.label },
    { header: header('received', 'ricevute', 'received'), value: (row) => number(row.figures.received), right: true },
    { header: header('rejected', 'respinte', 'rejected'), value: (row) => number(row.figures.rejected), right: true },
    { header: header('answered', 'con risposta', 'answered'), value: (row) => number(row.figures.answered), right: true },
    { header: header('open', 'aperte', 'open'), value: (row) => number(row.figures.open), right: true },
    { header: header('assigned on time', 'assegnate in tempo', 'assigned_on_time_percent'), value: (row) => percent(row.figures.assignedOnTime.percent), right: true },
    { header: header('answered on time', 'risposte in tempo', 'answered_on_time_percent'), value: (row) => percent(row.figures.answeredOnTime.percent), right: true },
    { header: header('median days to answer', 'giorni per risposta (mediana)', 'median_days_to_answer'), value: (row) => number(row.figures.medianDaysToAnswer), right: true },
    { header: header('90th pct days', 'giorni 90° perc.', 'p90_days_to_answer'), value: (row) => number(row.figures.p90DaysToAnswer), right: true },
    { header: header('median hours to assign', 'ore per assegnare (mediana)', 'median_hours_to_assign'), value: (row) => number(row.figures.medianHoursToAssign), right: true },
    { header: header('late now', 'in ritardo ora', 'late_now'), value: (row) => number(row.figures.lateNow), right: true },
    { header: header('resolved', 'risolte', 'resolved'), value: (row) => number(row.figures.outcomes.resolved), right: true },
    { header: header('unresolved', 'non risolte', 'unresolved'), value: (row) => number(row.figures.outcomes.unresolved), right: true },
    { header: header('information', 'informative', 'information'), value: (row) => number(row.figures.outcomes.information), right: true },
    { header: header('not competent', 'non di competenza', 'not_competent'), value: (row) => number(row.figures.outcomes.not_competent), right: true },
  ];
}

/** On a terminal, `--by month` also draws volumes and the on-time percentage as bars. */
function monthChart(context: CliContext, stats: Stats): string {
  const it = context.language === 'it';
  const width = 40;
  const most = Math.max(1, ...stats.groups.map((group) => group.figures.received));
  const bar = (fraction: number) => {
    const eighths = Math.round(fraction * width * 8);
    return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 ? '▏▎▍▌▋▊▉'[(eighths % 8) - 1] : '');
  };
  const { colour } = context.output;
  const lines = [colour.bold(it ? 'Ricevute per mese e risposte in tempo' : 'Received per month and answered on time')];
  for (const group of stats.groups) {
    const onTime = group.figures.answeredOnTime.percent;
    const onTimeBar = onTime === null ? '' : colour[onTime >= 90 ? 'green' : onTime >= 75 ? 'yellow' : 'red'](bar(onTime / 100 / 2));
    lines.push(
      `${group.group}  ${colour.cyan(bar(group.figures.received / most).padEnd(width))} ${String(group.figures.received).padStart(6)}   ${onTimeBar.padEnd(0)} ${onTime === null ? '—' : `${onTime}%`}`,
    );
  }
  return lines.join('\n');
}
