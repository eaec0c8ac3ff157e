import { updateCategory } from '../../domain/categories.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp category update <code> [--name] [--area] [--enable]` */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ name: text, area: text, enable: flag }, options);
  const { db } = await context.store();
  const category = await updateCategory(db, context.actor(), argument(args, 0, 'code'), {
    name: input.name,
    area: input.area,
    active: input.enable ? true : undefined,
  });
  context.output.success(context.t('category.updated', { code: category.code }));
}
