import { queues } from '../../domain/queues.js';
import type { Report } from '../../domain/reports.js';
import { asOfOption } from '../as-of.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { areaFilter } from '../report-filter-options.js';
import type { CommandInput } from '../command-types.js';
import type { Column } from '../output.js';
import { reportColumns, reportCsvColumns } from '../render/reports.js';

/** `urp queue [--area A]`: what URP and each area must do next, by deadline. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ area: text, asOf: text, json: flag, csv: flag }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const areaIds = await areaFilter(db, input.area, context.areaScope);
  const result = await queues(db, asOf, { areaIds });
  if (input.json) return context.output.json(areaIds === undefined ? result : { areas: result.areas });
  if (input.csv) {
    // One row per report, its queue first: `urp:to_assign`, `ambiente:to_reply`...
    const rows: Array<Report & { queue: string }> = [];
    const add = (queue: string, reports: Report[]) => rows.push(...reports.map((report) => ({ ...report, queue })));
    if (areaIds === undefined) {
      add('urp:to_assign', result.urp.toAssign);
      add('urp:returned', result.urp.returned);
      add('urp:to_close', result.urp.toClose);
    }
    for (const area of result.areas) {
      add(`${area.area}:to_acknowledge`, area.toAcknowledge);
      add(`${area.area}:to_reply`, area.toReply);
      add(`${area.area}:suspended`, area.suspended);
    }
    const columns: Array<Column<Report & { queue: string }>> = [{ header: 'queue', value: (row) => row.queue }, ...reportCsvColumns()];
    return context.output.csv(columns, rows);
  }

  const it = context.language === 'it';
  const columns = reportColumns(context, settings, asOf, { citizen: false });
  const { colour } = context.output;
  let printed = false;
  const section = async (title: string, reports: Report[]) => {
    if (reports.length === 0) return;
    context.output.write(`${printed ? '\n' : ''}${colour.bold(title)} (${reports.length})`);
    await context.output.table(columns, reports);
    printed = true;
  };
  if (areaIds === undefined) {
    await section(it ? 'URP — da assegnare' : 'URP — to assign', result.urp.toAssign);
    await section(it ? 'URP — restituite dalle aree, da riassegnare' : 'URP — returned by an area, to reassign', result.urp.returned);
    await section(it ? 'URP — con risposta, da chiudere' : 'URP — answered, to close', result.urp.toClose);
  }
  for (const area of result.areas) {
    await section(`${area.name} (${area.area}) — ${it ? 'da prendere in carico' : 'to acknowledge'}`, area.toAcknowledge);
    await section(`${area.name} (${area.area}) — ${it ? 'da rispondere' : 'to reply'}`, area.toReply);
    await section(`${area.name} (${area.area}) — ${it ? 'sospese' : 'suspended'}`, area.suspended);
  }
  if (!printed) context.output.info(it ? 'Nessuna attività in coda' : 'Nothing in the queues');
}
