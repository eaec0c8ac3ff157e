import { disableOperator } from '../../domain/operators.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp operator disable <name>`: history keeps the name; the operator can no longer act. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const name = argument(args, 0, 'name');
  const { db } = await context.store();
  await writeTransaction(db, (trx) => disableOperator(trx, context.actor(), name));
  context.output.success(context.t('operator.disabled', { name }));
}
