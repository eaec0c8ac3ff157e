import { getCitizen } from '../../domain/citizens.js';
import { listReports } from '../../domain/report-queries.js';
import { argument, citizenId, flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { citizenFields } from '../render/citizens.js';
import { reportColumns } from '../render/reports.js';

/** `urp citizen show <id>`: the citizen and their reports. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const { db } = await context.store();
  const citizen = await getCitizen(db, citizenId(argument(args, 0, 'id')), 'id');
  const now = context.clock();
  const reports = await listReports(db, { citizenId: citizen.id }, now);
  if (json) return context.output.json({ ...citizen, reports });
  const settings = await context.settings();
  context.output.fields(citizenFields(context, citizen, settings.timeZone));
  if (reports.length > 0) {
    context.output.write('');
    await context.output.table(reportColumns(context, settings, now, { citizen: false }), reports);
  }
}
