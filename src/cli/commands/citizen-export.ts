import { citizenDataExport } from '../../domain/privacy.js';
import { argument, citizenId } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';

/** `urp citizen export <id>`: everything held on one person, as JSON (GDPR right of access). */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const { db } = await context.store({ mustExist: true });
  context.output.json(await citizenDataExport(db, citizenId(argument(args, 0, 'id')), context.clock()));
}
