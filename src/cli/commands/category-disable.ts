import { updateCategory } from '../../domain/categories.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp category disable <code>`: no longer offered for new reports. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const { db } = await context.store();
  const category = await updateCategory(db, context.actor(), argument(args, 0, 'code'), { active: false });
  context.output.success(context.t('category.disabledDone', { code: category.code }));
}
