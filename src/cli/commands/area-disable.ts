import { updateArea } from '../../domain/areas.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp area disable <code>`: no new assignments; history kept. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const { db } = await context.store();
  const area = await updateArea(db, context.actor(), argument(args, 0, 'code'), { active: false });
  context.output.success(context.t('area.disabledDone', { code: area.code }));
}
