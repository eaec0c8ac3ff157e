import { recordPersonalDataRead } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { type Overdue, type OverdueEntry, overdue } from '../../domain/overdue.js';
import { reportTypes } from '../../domain/vocabulary.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { areaFilter } from '../report-filter-options.js';
import type { Column } from '../output.js';
import type { CommandInput } from '../command-types.js';
import { formatDate, formatInstant, formatSpan } from '../render/dates.js';
import { contactsForPeople } from '../render/citizens.js';

/**
 * `urp overdue`: the morning printout. Three sections (late to assign, late
 * to reply, due soon), most late first, under a header with the
 * organisation, the as-of moment and the counts. `--check` exits 3 when
 * anything is late, for cron. No citizen data unless `--with-citizen`.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const input = parseOptions(
    { area: text, byArea: flag, soon: text, check: flag, withCitizen: flag, asOf: text, json: flag, csv: flag },
    options,
  );
  // Citizens' names and contacts are for URP (and recorded as a read of personal data).
  if (input.withCitizen) context.requireRole(['admin', 'urp'], 'overdue --with-citizen');
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

  if (input.json) context.output.json(result);
  else if (input.csv) await context.output.csv(csvColumns(input.withCitizen === true), sectionRows(result));
  else {
    const printout = new Printout(context, settings.timeZone, settings.organisationName, soonDays, asOf, input.withCitizen === true, settings);
    if (input.byArea) {
      const groups = groupByArea(result, context.language === 'it' ? 'URP — non ancora assegnate' : 'URP — not yet assigned');
      // One page per area, so that each manager gets their own: a form feed between pages on paper.
      const pages = await Promise.all(groups.map((group) => printout.render(group.overdue, group.title)));
      context.output.write(pages.join(context.output.rich ? '\n\n' : '\n\f'));
    } else context.output.write(await printout.render(result));
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
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
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
  ) {}

  private columns(section: Section): Column<OverdueEntry>[] {
    const { language } = this.context;
    const it = language === 'it';
    // Thousands of rows share few deadlines (reply deadlines fall at the end of a day) and
    // few receipt days: each is formatted once. A day is keyed by its UTC hour, since offsets
    // change on the hour.
    const dues = new Map<string, string>();
    const days = new Map<string, string>();
    const when = (iso: string) => {
      let text = dues.get(iso);
      if (text === undefined) dues.set(iso, (text = formatInstant(iso, this.timeZone, language, true)));
      return text;
    };
    const day = (iso: string) => {
      const key = iso.slice(0, 13);
      let text = days.get(key);
      if (text === undefined) days.set(key, (text = formatDate(iso, this.timeZone, language, true)));
      return text;
    };
    const columns: Column<OverdueEntry>[] = [
      { header: it ? 'numero' : 'number', value: (entry) => entry.number },
      { header: it ? 'tipo' : 'type', value: (entry) => reportTypes.label(entry.type, language) },
      { header: 'area', value: (entry) => entry.area ?? '—' },
      { header: it ? 'ricevuta' : 'received', value: (entry) => day(entry.receivedAt) },
      { header: it ? 'scadenza' : 'due', value: (entry) => when(entry.dueAt) },
      {
        header: section === 'dueSoon' ? (it ? 'manca' : 'left') : it ? 'ritardo' : 'late',
        value: (entry) => {
          const span = formatSpan(entry.lateSeconds * 1000, language);
          if (section !== 'dueSoon') return span;
          return `${span}${entry.deadline === 'assign' ? (it ? ' (assegnare)' : ' (assign)') : ''}`;
        },
        right: true,
      },
      { header: it ? 'oggetto' : 'subject', value: (entry) => entry.subject },
    ];
    if (this.withCitizen) {
      // Before the subject, so that the subject stays the last, unpadded column.
      columns.splice(columns.length - 1, 0, {
        header: it ? 'cittadino' : 'citizen',
        value: (entry) =>
          entry.citizen ? [`${entry.citizen.lastName} ${entry.citizen.firstName}`, contactsForPeople(entry.citizen).phone ?? contactsForPeople(entry.citizen).email].filter(Boolean).join(', ') : '',
      });
    }
    return columns;
  }

  async render(result: Overdue, areaTitle?: string): Promise<string> {
    const it = this.context.language === 'it';
    const { output } = this.context;
    const { colour } = output;
    const titles: Record<Section, string> = {
      lateToAssign: it ? `In ritardo: da assegnare (oltre ${this.periods.assignHours} ore)` : `Late to assign (past ${this.periods.assignHours} hours)`,
      lateToReply: it ? `In ritardo: da rispondere (oltre ${this.periods.replyDays} giorni)` : `Late to reply (past ${this.periods.replyDays} days)`,
      dueSoon: it
        ? `In scadenza entro ${this.soonDays} ${this.soonDays === 1 ? 'giorno' : 'giorni'}`
        : `Due within ${this.soonDays} ${this.soonDays === 1 ? 'day' : 'days'}`,
    };
    const asOfText = formatInstant(this.asOf.toISOString(), this.timeZone, this.context.language, true);
    const lines: string[] = [
      colour.bold(`${this.organisation} — ${it ? 'URP: segnalazioni in ritardo e in scadenza' : 'URP: late and due reports'}`),
      ...(areaTitle !== undefined ? [colour.bold(areaTitle)] : []),
      `${it ? 'Situazione al' : 'As of'} ${asOfText} (${this.timeZone})`,
      `${it ? 'Da assegnare in ritardo' : 'Late to assign'}: ${result.lateToAssign.length} · ${it ? 'Risposte in ritardo' : 'Late to reply'}: ${result.lateToReply.length} · ${it ? 'In scadenza' : 'Due soon'}: ${result.dueSoon.length}`,
    ];
    for (const section of SECTIONS) {
      const entries = result[section];
      lines.push('', colour.bold(`${titles[section]} (${entries.length})`));
      if (entries.length === 0) {
        lines.push(it ? '  nessuna' : '  none');
        continue;
      }
      lines.push(output.rich ? await output.tableText(this.columns(section), entries) : output.aligned(this.columns(section), entries));
    }
    return lines.join('\n');
  }
}
