import { updateOperator } from '../../domain/operators.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp operator update <name> [--os-user LOGIN] [--full-name N] [--enable]` (admin). */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const name = argument(args, 0, 'name');
  const input = parseOptions({ osUser: text, fullName: text, enable: flag }, options);
  const { db } = await context.store();
  await writeTransaction(db, (trx) => updateOperator(trx, context.actor(), name, input));
  context.output.success(context.t('operator.updated', { name }));
}
