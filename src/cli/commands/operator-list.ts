import { listOperators, type Operator } from '../../domain/operators.js';
import { roles } from '../../domain/vocabulary.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import type { CommandInput } from '../command-types.js';

/** `urp operator list` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json, csv } = parseOptions({ json: flag, csv: flag }, options);
  const operators = await listOperators((await context.store()).db);
  if (json) return context.output.json(operators);
  const it = context.language === 'it';
  const columns: Column<Operator>[] = [
    { header: it ? 'nome' : 'name', value: (operator) => operator.name },
    { header: it ? 'nome completo' : 'full name', value: (operator) => operator.fullName ?? '' },
    { header: it ? 'ruolo' : 'role', value: (operator) => roles.label(operator.role, context.language) },
    { header: it ? 'aree' : 'areas', value: (operator) => operator.areas.join(', ') },
    { header: it ? 'attivo' : 'active', value: (operator) => (operator.active ? (it ? 'sì' : 'yes') : 'no') },
  ];
  if (csv) return context.output.csv(columns, operators);
  if (operators.length === 0) {
    return context.output.info(it ? 'Nessun operatore: accesso libero' : 'No operators: open access');
  }
  await context.output.table(columns, operators);
}
