import { findCitizens } from '../../domain/citizens.js';
import { count, flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { citizenColumns } from '../render/citizens.js';

/** `urp citizen find <text>`: by part of the name, tax code, e-mail or phone. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const { json, csv, limit } = parseOptions({ json: flag, csv: flag, limit: count }, options);
  const { db } = await context.store();
  const citizens = await findCitizens(db, args.join(' '), limit ?? 50);
  if (json) return context.output.json(citizens);
  const columns = citizenColumns(context, (await context.settings()).timeZone, { forPeople: !csv });
  if (csv) return context.output.csv(columns, citizens);
  if (citizens.length === 0) return context.output.info(context.t('citizen.noneFound'));
  await context.output.table(columns, citizens);
}
