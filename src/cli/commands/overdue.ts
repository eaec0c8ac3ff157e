import { recordPersonalDataRead } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { type Overdue, type OverdueEntry, overdue } from '../../domain/overdue.js';
import { reportTypes, statuses } from '../../domain/vocabulary.js';
import type { MessageKey, MessageParams } from '../../i18n/messages.js';
import { compareCodes } from '../../text/compare.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { areaFilter } from '../report-filter-options.js';
import { type Column, listFormat } from '../output.js';
import type { SheetColumn } from '../spreadsheet.js';
import type { CommandInput } from '../command-types.js';
import { dateFormatter, formatInstant, spanFormatter } from '../render/dates.js';
import { contactsForPeople } from '../render/citizens.js';
import { remembered } from '../../text/remembered.js';

/**
 * `urp overdue`: the morning printout. Three sections (late to assign, late
 * to reply, due soon), most late first, under a header with the
 * organisation, the as-of moment and the counts. `--check` exits 3 when
 * anything is late, for cron. No citizen data unless `--with-citizen`.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const input = parseOptions(
    { area: text, byArea: flag, soon: text, check: flag, withCitizen: flag, asOf: text, json: flag, csv: flag, csvExcel: flag, xlsx: flag, output: text },
    options,
  );
  // Citizens' names and contacts are for URP (and recorded as a read of personal data).
  if (input.withCitizen) await context.requireRole(['admin', 'urp'], 'overdue --with-citizen');
  const { db } = input.withCitizen ? await context.auditedRead() : await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  let soonDays = settings.dueSoonDays;
  if (input.soon !== undefined) {
    if (!/^\d{1,3}$/.test(input.soon.trim())) throw new InputError('field.integerExpected', { min: 0, max: 999 }, 'soon');
    soonDays = Number(input.soon);
  }
  const areaIds = await areaFilter(db, input.area, context.areaScope);
  const result = await overdue(db, asOf, { areaIds, soonDays, withCitizen: input.withCitizen });
  if (input.withCitizen) {
    await recordPersonalDataRead(db, context.actor(), 'overdue --with-citizen', result.lateToAssign.length + result.lateToReply.length + result.dueSoon.length);
  }
  const somethingLate = result.lateToAssign.length + result.lateToReply.length > 0;

  const format = listFormat(input);
  if (format === 'json') context.output.json(result);
  else if (format !== 'table') {
    await context.output.emit(
      format,
      { rows: sectionRows(result), table: [], csv: csvColumns(input.withCitizen === true), sheet: sheetColumns(context, input.withCitizen === true), title: context.t('overdue.sheet') },
      { output: input.output, timeZone: settings.timeZone, language: context.language, database: context.databasePath },
    );
  } else {
    const printout = new Printout(context, settings.timeZone, settings.organisationName, soonDays, asOf, input.withCitizen === true, settings, input.byArea === true);
    let text: string;
    if (input.byArea) {
      const groups = groupByArea(result, context.t('overdue.unassigned'));
      // One page per area, so that each manager gets their own: a form feed between pages on paper.
      const pages = await Promise.all(groups.map((group) => printout.render(group.overdue, group.title)));
      text = pages.join(context.output.rich ? '\n\n' : '\n\f');
    } else text = await printout.render(result);
    await context.output.page(text);
  }
  return input.check && somethingLate ? 3 : 0;
}

type Section = 'lateToAssign' | 'lateToReply' | 'dueSoon';
const SECTIONS: Section[] = ['lateToAssign', 'lateToReply', 'dueSoon'];

function sectionRows(result: Overdue): Array<OverdueEntry & { section: Section }> {
  return SECTIONS.flatMap((section) => result[section].map((entry) => ({ ...entry, section })));
}

function groupByArea(result: Overdue, unassignedTitle: string): Array<{ title: string; overdue: Overdue }> {
  const keys = new Map<string, string>();
  for (const entry of sectionRows(result)) keys.set(entry.area ?? '', entry.area ? `${entry.areaName} (${entry.area})` : unassignedTitle);
  return [...keys.entries()]
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : compareCodes(a, b)))
    .map(([key, title]) => ({
      title,
      overdue: {
        asOf: result.asOf,
        lateToAssign: result.lateToAssign.filter((entry) => (entry.area ?? '') === key),
        lateToReply: result.lateToReply.filter((entry) => (entry.area ?? '') === key),
        dueSoon: result.dueSoon.filter((entry) => (entry.area ?? '') === key),
      },
    }));
}

/** --xlsx and --csv-excel: the section and the deadline in words, dates as dates, how late in days. */
function sheetColumns(context: CliContext, withCitizen: boolean): SheetColumn<OverdueEntry & { section: Section }>[] {
  const { language } = context;
  const columns: SheetColumn<OverdueEntry & { section: Section }>[] = [
    { header: context.t('column.section'), value: (entry) => context.t(SECTION_NAMES[entry.section]), width: 22 },
    { header: context.t('column.number'), value: (entry) => entry.number, kind: 'code', width: 13 },
    { header: context.t('column.type'), value: (entry) => reportTypes.label(entry.type, language) },
    { header: context.t('column.status'), value: (entry) => statuses.label(entry.status, language) },
    { header: context.t('column.area'), value: (entry) => entry.area ?? '', kind: 'code' },
    { header: context.t('column.category'), value: (entry) => entry.category ?? '', kind: 'code' },
    { header: context.t('column.receivedAt'), value: (entry) => entry.receivedAt, kind: 'instant' },
    { header: context.t('column.deadline'), value: (entry) => context.t(entry.deadline === 'assign' ? 'overdue.deadline.assign' : 'overdue.deadline.reply') },
    { header: context.t('column.dueAt'), value: (entry) => entry.dueAt, kind: 'instant' },
    // Days late, with a fraction (negative: days left), so that a spreadsheet can sort and sum them.
    { header: context.t('column.lateDays'), value: (entry) => Math.round((entry.lateSeconds / 86_400) * 10) / 10, kind: 'number' },
    { header: context.t('column.subject'), value: (entry) => entry.subject, width: 50 },
  ];
  if (withCitizen) {
    columns.push(
      { header: context.t('column.citizenId'), value: (entry) => entry.citizen?.id ?? null, kind: 'integer' },
      { header: context.t('column.citizen'), value: (entry) => (entry.citizen ? `${entry.citizen.lastName} ${entry.citizen.firstName}` : ''), width: 28 },
      { header: context.t('column.email'), value: (entry) => entry.citizen?.email ?? '', kind: 'code' },
      { header: context.t('column.phone'), value: (entry) => (entry.citizen?.phone ? contactsForPeople(entry.citizen).phone : ''), kind: 'code' },
    );
  }
  return columns;
}

const SECTION_NAMES: Record<Section, 'overdue.section.lateToAssign' | 'overdue.section.lateToReply' | 'overdue.section.dueSoon'> = {
  lateToAssign: 'overdue.section.lateToAssign',
  lateToReply: 'overdue.section.lateToReply',
  dueSoon: 'overdue.section.dueSoon',
};

function csvColumns(withCitizen: boolean): Column<OverdueEntry & { section: Section }>[] {
  const columns: Column<OverdueEntry & { section: Section }>[] = [
    { header: 'section', value: (entry) => entry.section },
    { header: 'number', value: (entry) => entry.number },
    { header: 'type', value: (entry) => entry.type },
    { header: 'status', value: (entry) => entry.status },
    { header: 'area', value: (entry) => entry.area ?? '' },
    { header: 'category', value: (entry) => entry.category ?? '' },
    { header: 'received_at', value: (entry) => entry.receivedAt },
    { header: 'deadline', value: (entry) => entry.deadline },
    { header: 'due_at', value: (entry) => entry.dueAt },
    { header: 'late_seconds', value: (entry) => String(entry.lateSeconds) },
    { header: 'subject', value: (entry) => entry.subject },
  ];
  if (withCitizen) {
    columns.push(
      { header: 'citizen_id', value: (entry) => String(entry.citizen?.id ?? '') },
      { header: 'citizen_name', value: (entry) => (entry.citizen ? `${entry.citizen.lastName} ${entry.citizen.firstName}` : '') },
      { header: 'citizen_email', value: (entry) => entry.citizen?.email ?? '' },
      { header: 'citizen_phone', value: (entry) => entry.citizen?.phone ?? '' },
    );
  }
  return columns;
}

/** The printout itself: a table per section on a terminal, aligned plain text for paper and e-mail. */
class Printout {
  constructor(
    private readonly context: CliContext,
    private readonly timeZone: string,
    private readonly organisation: string,
    private readonly soonDays: number,
    private readonly asOf: Date,
    private readonly withCitizen: boolean,
    private readonly periods: { assignHours: number; replyDays: number },
    /** One page per area: the page's title names the area, its column would repeat it. */
    private readonly byArea = false,
  ) {}

  private columns(section: Section): Column<OverdueEntry>[] {
    const { language } = this.context;
    const t = (key: MessageKey) => this.context.t(key);
    // Thousands of rows share few deadlines (reply deadlines fall at the end of a day), few
    // receipt days, spans ("3 days") and types: each is put into words once.
    const when = remembered((iso: string) => formatInstant(iso, this.timeZone, language, true));
    const day = dateFormatter(this.timeZone, language, true);
    const spanText = spanFormatter(language);
    const span = (entry: OverdueEntry) => spanText(entry.lateSeconds * 1000);
    const type = remembered((code: OverdueEntry['type']) => reportTypes.label(code, language));
    const columns: Column<OverdueEntry>[] = [
      { header: t('column.number'), value: (entry) => entry.number },
      // On a narrow page or terminal the type goes first, then the receipt, then the area.
      { header: t('column.type'), value: (entry) => type(entry.type), drop: 3 },
      ...(this.byArea ? [] : [{ header: t('column.area'), value: (entry: OverdueEntry) => entry.area ?? '—', drop: 1 }]),
      { header: t('column.received'), value: (entry) => day(entry.receivedAt), drop: 2 },
      { header: t('column.due'), value: (entry) => when(entry.dueAt) },
      {
        header: section === 'dueSoon' ? t('column.left') : t('column.late'),
        value: (entry) => (section === 'dueSoon' && entry.deadline === 'assign' ? this.context.t('overdue.toAssign', { span: span(entry) }) : span(entry)),
        right: true,
      },
      { header: t('column.subject'), value: (entry) => entry.subject, shrink: true },
    ];
    if (this.withCitizen) {
      // Before the subject, so that the subject stays the last, unpadded column.
      columns.splice(columns.length - 1, 0, {
        header: t('column.citizen'),
        value: (entry) =>
          entry.citizen ? [`${entry.citizen.lastName} ${entry.citizen.firstName}`, contactsForPeople(entry.citizen).phone ?? contactsForPeople(entry.citizen).email].filter(Boolean).join(', ') : '',
        shrink: true,
      });
    }
    return columns;
  }


  async render(result: Overdue, areaTitle?: string): Promise<string> {
    const { output } = this.context;
    const { colour } = output;
    const t = (key: MessageKey, params?: MessageParams) => this.context.t(key, params);
    const titles: Record<Section, string> = {
      lateToAssign: t('overdue.title.lateToAssign', { count: this.periods.assignHours }),
      lateToReply: t('overdue.title.lateToReply', { count: this.periods.replyDays }),
      dueSoon: t('overdue.title.dueSoon', { count: this.soonDays }),
    };
    const asOfText = formatInstant(this.asOf.toISOString(), this.timeZone, this.context.language, true);
    const lines: string[] = [
      colour.bold(t('overdue.heading', { organisation: this.organisation })),
      ...(areaTitle !== undefined ? [colour.bold(areaTitle)] : []),
      t('overdue.asOf', { at: asOfText, zone: this.timeZone }),
      t('overdue.counts', { lateToAssign: result.lateToAssign.length, lateToReply: result.lateToReply.length, dueSoon: result.dueSoon.length }),
    ];
    for (const section of SECTIONS) {
      const entries = result[section];
      lines.push('', colour.bold(`${titles[section]} (${entries.length})`));
      if (entries.length === 0) {
        lines.push(`  ${t('overdue.none')}`);
        continue;
      }
      // On paper (piped, for lpr or an e-mail): an A4 page of 80 columns, the subject wrapping under itself.
      lines.push(output.rich ? await output.tableText(this.columns(section), entries) : output.aligned(this.columns(section), entries, { width: PRINTOUT_WIDTH }));
    }
    return lines.join('\n');
  }
}

/** The printout's width on paper: 80 columns, an A4 page in a fixed-width font. */
const PRINTOUT_WIDTH = 80;
