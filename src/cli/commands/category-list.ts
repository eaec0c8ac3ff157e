import { listCategories } from '../../domain/categories.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { listFormat } from '../output.js';
import { categoryColumns } from '../render/areas.js';

/** `urp category list [--json|--csv]` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, csv: flag }, options);
  const categories = (await listCategories((await context.store()).db)).map(({ code, name, area, active }) => ({ code, name, area, active }));
  await context.output.emit(listFormat(input), { rows: categories, table: categoryColumns(context) });
}
