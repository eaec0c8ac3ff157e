import { civilDateOf, zonedParts } from '../domain/calendar.js';
import type { GroupComparison, ParetoItem, Review } from '../domain/review.js';
import type { StatsFigures } from '../domain/statistics.js';
import { type DocumentLanguage as Language, channels, outcomes, reportTypes } from '../domain/vocabulary.js';
import { type DocumentTextKey, documentText, longDate, shortMonth } from '../i18n/document-text.js';
import { type Canvas, drawPareto, drawPercentBars, drawPercentLine } from './charts.js';

/**
 * The review pack's contents (issue 15), once, for both renderers (PDF and
 * HTML): sections of tables, charts and paragraphs, every figure's label
 * carrying the number of the note that defines it.
 */
export interface Column {
  readonly header: string;
  readonly right?: boolean;
}

export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'table'; readonly title?: string; readonly columns: readonly Column[]; readonly rows: ReadonlyArray<readonly string[]>; readonly totalRow?: boolean }
  | { readonly kind: 'chart'; readonly title: string; readonly draw: (canvas: Canvas, width: number) => number };

export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
  /** [number, definition] */
  readonly notes: ReadonlyArray<readonly [number, string]>;
}

export interface ReviewDocument {
  readonly language: Language;
  readonly title: string;
  readonly organisation: string;
  readonly subtitle: string;
  readonly introduction: readonly string[];
  readonly sections: readonly Section[];
}

export interface ReviewContext {
  readonly language: Language;
  readonly organisation: string;
  readonly timeZone: string;
  readonly assignHours: number;
  readonly replyDays: number;
  readonly generatedAt: Date;
}

/** Numbers as `urp stats` prints them on a terminal: 1.234,5 in Italian, 1,234.5 in English. */
export function formatNumber(value: number | null, language: Language): string {
  return value === null ? '—' : value.toLocaleString(language === 'it' ? 'it-IT' : 'en-GB');
}

export function formatPercent(value: number | null, language: Language): string {
  return value === null ? '—' : `${formatNumber(value, language)}%`;
}

export function buildReviewDocument(review: Review, context: ReviewContext): ReviewDocument {
  const { language } = context;
  const t = (key: DocumentTextKey, params?: Record<string, string | number>) => documentText(language, key, params);
  const number = (value: number | null) => formatNumber(value, language);
  const percent = (value: number | null) => formatPercent(value, language);
  const day = (iso: string) => {
    const { date } = zonedParts(new Date(iso), context.timeZone);
    return `${String(date.day).padStart(2, '0')}/${String(date.month).padStart(2, '0')}/${date.year}`;
  };
  const moment = (iso: string) => {
    const { time } = zonedParts(new Date(iso), context.timeZone);
    return `${day(iso)} ${String(time.hours).padStart(2, '0')}:${String(time.minutes).padStart(2, '0')}`;
  };

  // Notes are numbered through the document; a label gets its note's number.
  let noteCount = 0;
  let notes: Array<readonly [number, string]> = [];
  const note = (text: string) => {
    notes.push([++noteCount, text]);
    return noteCount;
  };
  const labelled = (label: string, noteNumber: number) => `${label} [${noteNumber}]`;
  const sections: Section[] = [];
  const section = (title: string, blocks: Block[]) => {
    sections.push({ title, blocks, notes });
    notes = [];
  };

  const ratio = (value: StatsFigures['answeredOnTime']) => (value.percent === null ? '—' : t('review.ratio', { percent: percent(value.percent), count: number(value.count), of: number(value.of) }));
  const total = review.total;
  const target = (key: 'target-on-time-reply' | 'target-on-time-assign') => review.targets.find((each) => each.key === key)!.target;
  const targetLine = (value: number) => ({ value, label: t('review.chart.targetLine', { value }) });

  // 1. Summary
  const nReceived = note(t('review.note.received'));
  const nPrevious = note(t('review.note.previous'));
  const nRejected = note(t('review.note.rejected'));
  const nAnswered = note(t('review.note.answered'));
  const nOpen = note(t('review.note.open'));
  const nLate = note(t('review.note.lateNow'));
  const nAssigned = note(t('review.note.assignedOnTime', { hours: context.assignHours }));
  const nOnTime = note(t('review.note.answeredOnTime', { days: context.replyDays }));
  const nDays = note(t('review.note.days'));
  const nHours = note(t('review.note.hours'));
  const nReopened = note(t('review.note.reopened'));
  const nRepeat = note(t('review.note.repeat', { minimum: review.repeatCitizens.minimum }));
  section(t('review.section.summary'), [
    { kind: 'paragraph', text: t('review.previous', { from: day(review.previous.from), to: day(review.previous.to) }) },
    {
      kind: 'table',
      columns: [{ header: t('review.figure') }, { header: t('review.value'), right: true }, { header: labelled(t('review.previousValue'), nPrevious), right: true }],
      rows: [
        [labelled(t('review.received'), nReceived), number(total.received), number(review.previous.received)],
        [labelled(t('review.rejected'), nRejected), number(total.rejected), ''],
        [labelled(t('review.answered'), nAnswered), number(total.answered), ''],
        [labelled(t('review.open'), nOpen), number(total.open), ''],
        [labelled(t('review.lateNow'), nLate), number(total.lateNow), ''],
        [labelled(t('review.assignedOnTime'), nAssigned), ratio(total.assignedOnTime), ''],
        [labelled(t('review.answeredOnTime'), nOnTime), ratio(total.answeredOnTime), ''],
        [labelled(t('review.medianDays'), nDays), number(total.medianDaysToAnswer), ''],
        [labelled(t('review.p90Days'), nDays), number(total.p90DaysToAnswer), ''],
        [labelled(t('review.medianHours'), nHours), number(total.medianHoursToAssign), ''],
        [labelled(t('review.p90Hours'), nHours), number(review.p90HoursToAssign), ''],
        [labelled(t('review.reopened'), nReopened), `${number(review.reopened.reports)} (${t('review.reopenings')}: ${number(review.reopened.reopenings)})`, ''],
        [labelled(t('review.repeatCitizens', { minimum: review.repeatCitizens.minimum }), nRepeat), `${number(review.repeatCitizens.citizens)} (${t('review.repeatReports')}: ${number(review.repeatCitizens.reports)})`, ''],
      ],
    },
  ]);

  // 2. Targets and results
  const nTargets = note(t('review.note.targets'));
  section(t('review.section.targets'), [
    {
      kind: 'table',
      columns: [{ header: labelled(t('review.figure'), nTargets) }, { header: t('review.target'), right: true }, { header: t('review.result'), right: true }, { header: t('review.met') }],
      rows: review.targets.map((each) => {
        const days = each.key === 'target-median-reply-days';
        const shown = (value: number | null) => (days ? number(value) : percent(value));
        return [t(`review.target.${each.key}`), shown(each.target), shown(each.result), each.met === null ? t('review.notMeasured') : each.met ? t('review.yes') : t('review.no')];
      }),
    },
  ]);

  // 3. Timeliness: per area, per month
  const nAreas = note(t('review.note.areas'));
  const areaName = (row: GroupComparison) => (row.group === null ? t('review.none') : (row.name ?? row.group));
  const monthsCompared = review.previous.wholeMonths;
  const nMonths = monthsCompared ? undefined : note(t('review.note.monthsNotCompared'));
  const empty = t('review.chart.empty');
  section(t('review.section.timeliness'), [
    {
      kind: 'chart',
      title: labelled(t('review.chart.areas'), nOnTime),
      draw: (canvas, width) =>
        drawPercentBars(
          canvas,
          { width, emptyText: empty },
          review.byArea.map((row) => ({ label: areaName(row), value: row.figures.answeredOnTime.percent, note: ratio(row.figures.answeredOnTime) })),
          targetLine(target('target-on-time-reply')),
        ),
    },
    {
      kind: 'table',
      title: labelled(t('review.volumes.area'), nAreas),
      columns: [
        { header: t('review.column.area') },
        { header: t('review.received'), right: true },
        { header: t('review.assignedOnTime'), right: true },
        { header: t('review.answeredOnTime'), right: true },
        { header: t('review.medianDays'), right: true },
        { header: t('review.p90Days'), right: true },
      ],
      rows: review.byArea.map((row) => [
        areaName(row),
        number(row.figures.received),
        percent(row.figures.assignedOnTime.percent),
        percent(row.figures.answeredOnTime.percent),
        number(row.figures.medianDaysToAnswer),
        number(row.figures.p90DaysToAnswer),
      ]),
    },
    {
      kind: 'chart',
      title: labelled(t('review.chart.months'), nOnTime),
      draw: (canvas, width) =>
        drawPercentLine(
          canvas,
          { width, emptyText: empty },
          review.byMonth.map((row) => ({ label: shortMonth(row.group!, language), value: row.figures.answeredOnTime.percent })),
          targetLine(target('target-on-time-reply')),
        ),
    },
    {
      kind: 'table',
      title: nMonths ? labelled(t('review.volumes.month'), nMonths) : t('review.volumes.month'),
      columns: [
        { header: t('review.column.month') },
        { header: t('review.received'), right: true },
        ...(monthsCompared ? [{ header: t('review.previousValue'), right: true }] : []),
        { header: t('review.assignedOnTime'), right: true },
        { header: t('review.answeredOnTime'), right: true },
      ],
      rows: review.byMonth.map((row) => [
        shortMonth(row.group!, language),
        number(row.figures.received),
        ...(monthsCompared ? [number(row.previous)] : []),
        percent(row.figures.assignedOnTime.percent),
        percent(row.figures.answeredOnTime.percent),
      ]),
    },
  ]);

  // 4. Volumes, with the previous period
  const change = (current: number, before: number) => {
    if (before === 0) return '—';
    const value = Math.round((1000 * (current - before)) / before) / 10;
    return `${value > 0 ? '+' : ''}${formatNumber(value, language)}%`;
  };
  const volumeTable = (title: DocumentTextKey, column: DocumentTextKey, rows: readonly GroupComparison[], label: (row: GroupComparison) => string): Block => ({
    kind: 'table',
    title: t(title),
    columns: [{ header: t(column) }, { header: t('review.value'), right: true }, { header: t('review.previousValue'), right: true }, { header: t('review.change'), right: true }],
    rows: [
      ...rows.map((row) => [label(row), number(row.figures.received), number(row.previous), change(row.figures.received, row.previous)]),
      [t('review.total'), number(total.received), number(review.previous.received), change(total.received, review.previous.received)],
    ],
    totalRow: true,
  });
  const typeLabel = (row: GroupComparison) => (reportTypes.is(row.group) ? reportTypes.label(row.group, language) : (row.group ?? t('review.none')));
  const channelLabel = (row: GroupComparison) => (channels.is(row.group) ? channels.label(row.group, language) : (row.group ?? t('review.none')));
  section(`${t('review.section.volumes')} [${nReceived}, ${nPrevious}]`, [
    volumeTable('review.volumes.type', 'review.column.type', review.byType, typeLabel),
    volumeTable('review.volumes.channel', 'review.column.channel', review.byChannel, channelLabel),
    volumeTable('review.volumes.area', 'review.column.area', review.byArea, areaName),
    volumeTable('review.volumes.category', 'review.column.category', review.byCategory, areaName),
  ]);

  // 5. Backlog by age
  const nBacklog = note(t('review.note.backlog'));
  const backlog = review.backlog;
  const backlogTotal = backlog.days0to7 + backlog.days8to30 + backlog.days31to60 + backlog.over60;
  section(t('review.section.backlog'), [
    {
      kind: 'table',
      columns: [{ header: labelled(t('review.column.age'), nBacklog) }, { header: t('review.open'), right: true }],
      rows: [
        [t('review.age.0-7'), number(backlog.days0to7)],
        [t('review.age.8-30'), number(backlog.days8to30)],
        [t('review.age.31-60'), number(backlog.days31to60)],
        [t('review.age.over60'), number(backlog.over60)],
        [t('review.total'), number(backlogTotal)],
      ],
      totalRow: true,
    },
  ]);

  // 6. Outcomes, reopened, frequent citizens
  const nOutcomes = note(t('review.note.outcomes'));
  const outcomeTotal = outcomes.codes.reduce((sum, code) => sum + total.outcomes[code], 0);
  const share = (count: number, of: number) => (of === 0 ? '—' : percent(Math.round((1000 * count) / of) / 10));
  section(t('review.section.outcomes'), [
    {
      kind: 'table',
      columns: [{ header: labelled(t('review.column.outcome'), nOutcomes) }, { header: t('review.count'), right: true }, { header: t('review.share'), right: true }],
      rows: [
        ...outcomes.codes.map((code) => [outcomes.label(code, language), number(total.outcomes[code]), share(total.outcomes[code], outcomeTotal)]),
        [t('review.total'), number(outcomeTotal), share(outcomeTotal, outcomeTotal)],
      ],
      totalRow: true,
    },
    {
      kind: 'table',
      columns: [{ header: t('review.figure') }, { header: t('review.value'), right: true }],
      rows: [
        [labelled(t('review.reopened'), nReopened), number(review.reopened.reports)],
        [labelled(t('review.reopenings'), nReopened), number(review.reopened.reopenings)],
        [labelled(t('review.repeatCitizens', { minimum: review.repeatCitizens.minimum }), nRepeat), number(review.repeatCitizens.citizens)],
        [labelled(t('review.repeatReports'), nRepeat), number(review.repeatCitizens.reports)],
      ],
    },
  ]);

  // 7. Pareto of categories and places
  const paretoTable = (column: DocumentTextKey, items: readonly ParetoItem[]): Block => ({
    kind: 'table',
    columns: [{ header: '#', right: true }, { header: t(column) }, { header: t('review.count'), right: true }, { header: t('review.share'), right: true }, { header: t('review.cumulative'), right: true }],
    rows: items.map((item, index) => [String(index + 1), item.label, number(item.count), percent(item.percent), percent(item.cumulativePercent)]),
  });
  const paretoChart = (title: string, items: readonly ParetoItem[]): Block => ({
    kind: 'chart',
    title,
    draw: (canvas, width) => drawPareto(canvas, { width, emptyText: empty }, items.map((item) => ({ label: item.label, count: item.count, cumulativePercent: item.cumulativePercent }))),
  });
  const nCategories = note(t('review.note.paretoCategories'));
  const nPlaces = note(t('review.note.paretoPlaces'));
  section(t('review.section.pareto'), [
    paretoChart(labelled(t('review.chart.categories'), nCategories), review.categoryPareto),
    paretoTable('review.column.category', review.categoryPareto),
    paretoChart(labelled(t('review.chart.places'), nPlaces), review.placePareto),
    paretoTable('review.column.place', review.placePareto),
  ]);

  return {
    language,
    title: t('review.title'),
    organisation: context.organisation,
    subtitle: t('review.subtitle', { from: day(review.period.from), to: day(review.period.to), asOf: moment(review.period.asOf) }),
    introduction: [t('review.generated', { date: longDate(civilDateOf(context.generatedAt, context.timeZone), language) })],
    sections,
  };
}
