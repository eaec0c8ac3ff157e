import { listOperators, type Operator } from '../../domain/operators.js';
import { roles } from '../../domain/vocabulary.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import { type Column, listFormat } from '../output.js';
import type { CommandInput } from '../command-types.js';

/** `urp operator list` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, csv: flag }, options);
  const operators = await listOperators((await context.store()).db);
  const columns: Column<Operator>[] = [
    { header: context.t('column.name'), value: (operator) => operator.name },
    { header: context.t('column.fullName'), value: (operator) => operator.fullName ?? '' },
    { header: context.t('column.role'), value: (operator) => roles.label(operator.role, context.language) },
    { header: context.t('column.areas'), value: (operator) => operator.areas.join(', ') },
    { header: context.t('column.active'), value: (operator) => context.t(operator.active ? 'sheet.yes' : 'sheet.no') },
  ];
  await context.output.emit(listFormat(input), { rows: operators, table: columns, empty: context.t('operator.none') });
}
