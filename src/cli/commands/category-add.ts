import { addCategory } from '../../domain/categories.js';
import { argument, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp category add <code> --name N [--area A]` */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ name: text, area: text }, options);
  const { db } = await context.store();
  const category = await addCategory(db, context.actor(), { code: argument(args, 0, 'code'), name: input.name ?? '', area: input.area });
  context.output.success(context.t('category.added', { code: category.code }));
}
