import { addArea } from '../../domain/areas.js';
import { argument, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp area add <code> --name N [--manager M] [--email E]` */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ name: text, manager: text, email: text }, options);
  const { db } = await context.store();
  const area = await addArea(db, context.actor(), { code: argument(args, 0, 'code'), name: input.name ?? '', ...input });
  context.output.success(context.t('area.added', { code: area.code }));
}
