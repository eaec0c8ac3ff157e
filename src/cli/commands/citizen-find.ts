import { recordPersonalDataRead } from '../../domain/audit.js';
import { findCitizens } from '../../domain/citizens.js';
import { count, flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { listFormat } from '../output.js';
import { citizenColumns } from '../render/citizens.js';

/** The citizens a lookup lists unless told otherwise: a clerk finding one person. */
const LOOKUP_PAGE = 50;

/**
 * `urp citizen find <text>`: by part of the name, tax code, e-mail or phone.
 * More citizens than a lookup lists (a raised --limit) is a read of personal
 * data in bulk, and is recorded in the audit log (SPEC section 7).
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, csv: flag, limit: count }, options);
  const { db } = await context.store();
  const citizens = await findCitizens(db, args.join(' '), input.limit ?? LOOKUP_PAGE);
  if (citizens.length > LOOKUP_PAGE) await recordPersonalDataRead(db, context.actor(), 'citizen find', citizens.length);
  const { timeZone } = await context.settings();
  await context.output.emit(listFormat(input), {
    rows: citizens,
    table: citizenColumns(context, timeZone),
    // CSV keeps the contacts as stored (E.164, punycode).
    csv: citizenColumns(context, timeZone, { forPeople: false }),
    empty: context.t('citizen.noneFound'),
  });
}
