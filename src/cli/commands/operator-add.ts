import { addOperator } from '../../domain/operators.js';
import { roles } from '../../domain/vocabulary.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument, parseOptions, text, texts } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp operator add <name> --role admin|urp|area [--area A ...] [--full-name N] [--os-user LOGIN]` */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ role: text, fullName: text, area: texts, osUser: text }, options);
  const { db } = await context.store();
  const operator = await writeTransaction(db, (trx) =>
    addOperator(trx, context.actor(), {
      name: argument(args, 0, 'name'),
      role: input.role ?? '',
      fullName: input.fullName,
      areas: input.area?.flatMap((area) => area.split(',')),
      osUser: input.osUser,
    }, context.account),
  );
  context.output.success(context.t('operator.added', { name: operator.name, role: roles.label(operator.role, context.language) }));
}
