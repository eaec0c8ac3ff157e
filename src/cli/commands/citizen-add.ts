import { addCitizen } from '../../domain/citizens.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp citizen add --first-name F --last-name L [--tax-code --email --phone --address]` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json, ...input } = parseOptions(
    { firstName: text, lastName: text, taxCode: text, email: text, phone: text, address: text, pec: text, json: flag },
    options,
  );
  const { db } = await context.store();
  const citizen = await addCitizen(db, context.actor(), input);
  if (json) context.output.json(citizen);
  else context.output.write(String(citizen.id));
  context.output.success(context.t('citizen.added', { id: citizen.id }));
}
