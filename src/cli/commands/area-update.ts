import { updateArea } from '../../domain/areas.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp area update <code> [--name] [--manager] [--email] [--enable]` */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ name: text, manager: text, email: text, enable: flag }, options);
  const { db } = await context.store();
  const area = await updateArea(db, context.actor(), argument(args, 0, 'code'), {
    name: input.name,
    manager: input.manager,
    email: input.email,
    active: input.enable ? true : undefined,
  });
  context.output.success(context.t('area.updated', { code: area.code }));
}
