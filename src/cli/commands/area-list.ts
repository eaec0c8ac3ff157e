import { listAreas } from '../../domain/areas.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { listFormat } from '../output.js';
import { areaColumns } from '../render/areas.js';

/** `urp area list [--json|--csv]` */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ json: flag, csv: flag }, options);
  const areas = await listAreas((await context.store()).db);
  await context.output.emit(listFormat(input), { rows: areas, table: areaColumns(context) });
}
