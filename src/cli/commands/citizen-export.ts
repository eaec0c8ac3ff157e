import { recordPersonalDataRead } from '../../domain/audit.js';
import { citizenDataExport } from '../../domain/privacy.js';
import { argument, citizenId } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp citizen export <id>`: everything held on one person, as JSON (GDPR right of access). */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const id = citizenId(argument(args, 0, 'id'));
  const { db } = await context.auditedRead();
  const data = await citizenDataExport(db, id, context.clock());
  await recordPersonalDataRead(db, context.actor(), `citizen:${id}`, data.reports.length);
  context.output.json(data);
}
