import { listAreas } from '../../domain/areas.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { areaColumns } from '../render/areas.js';

/** `urp area list [--json|--csv]` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json, csv } = parseOptions({ json: flag, csv: flag }, options);
  const areas = await listAreas((await context.store()).db);
  if (json) return context.output.json(areas);
  const columns = areaColumns(context);
  if (csv) return context.output.csv(columns, areas);
  await context.output.table(columns, areas);
}
