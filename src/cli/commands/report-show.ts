import { authorize } from '../../domain/operators.js';
import { currentYearOf } from '../../domain/report-numbers.js';
import { getReportDetails, publicReport } from '../../domain/report-queries.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { asOfOption } from '../as-of.js';
import type { CommandInput } from '../command-types.js';
import { renderReportDetails } from '../render/reports.js';

/** `urp report show <number>`: the report, both deadlines, the reply, the notes and the timeline. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, asOf: text }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const details = await getReportDetails(db, argument(args, 0, 'number'), asOf, currentYearOf(asOf, settings.timeZone));
  // An area operator sees only their own areas' reports.
  await authorize(db, context.actor(), 'read', details.report.areaId);
  if (input.json) {
    context.output.json({ ...publicReport(details.report), citizen: details.citizen, replies: details.replies, timeline: details.timeline, messages: details.messages });
    return;
  }
  // A long timeline goes through the pager on a terminal.
  await context.output.page(renderReportDetails(context, details, settings, asOf));
}
