import { getCitizen } from '../../domain/citizens.js';
import { eraseCitizen, pseudonym } from '../../domain/privacy.js';
import { argument, citizenId, flag, parseOptions } from '../command-options.js';
import { confirmDestructive } from '../confirm.js';
import type { CliContext } from '../context.js';
import { finishErasure } from '../erasure-finish.js';
import type { CommandInput } from '../command-types.js';

/** `urp citizen erase <id> [--force] [--redact-texts] --yes`: pseudonymise one citizen (GDPR erasure). */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ force: flag, redactTexts: flag, yes: flag }, options);
  const id = citizenId(argument(args, 0, 'id'));
  const { db } = await context.store();
  await getCitizen(db, id, 'id');
  const count = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', id).executeTakeFirstOrThrow();
  await confirmDestructive(context, input.yes, 'confirm.erase', { id, count: Number(count.n) });
  const result = await eraseCitizen(db, context.actor(), id, { force: input.force, redactTexts: input.redactTexts });
  context.output.success(context.t('privacy.erased', { id, reports: result.reports, pseudonym: pseudonym(id) }));
  await finishErasure(context, result.deep);
}
