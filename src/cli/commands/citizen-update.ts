import { updateCitizen } from '../../domain/citizens.js';
import { argument, citizenId, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp citizen update <id> [--first-name ...]`: an empty value removes a contact. */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const { json, ...changes } = parseOptions(
    { firstName: text, lastName: text, taxCode: text, email: text, phone: text, address: text, pec: text, json: flag },
    options,
  );
  const { db } = await context.store();
  const citizen = await updateCitizen(db, context.actor(), citizenId(argument(args, 0, 'id')), changes);
  if (json) context.output.json(citizen);
  context.output.success(context.t('citizen.updated', { id: citizen.id }));
}
