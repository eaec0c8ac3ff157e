import { findCitizens } from '../../domain/citizens.js';
import { count, flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { listFormat } from '../output.js';
import { citizenColumns } from '../render/citizens.js';

/** `urp citizen find <text>`: by part of the name, tax code, e-mail or phone. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, csv: flag, limit: count }, options);
  const { db } = await context.store();
  const citizens = await findCitizens(db, args.join(' '), input.limit ?? 50);
  const { timeZone } = await context.settings();
  await context.output.emit(listFormat(input), {
    rows: citizens,
    table: citizenColumns(context, timeZone),
    // CSV keeps the contacts as stored (E.164, punycode).
    csv: citizenColumns(context, timeZone, { forPeople: false }),
    empty: context.t('citizen.noneFound'),
  });
}
