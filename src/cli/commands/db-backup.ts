import { recordPersonalDataRead } from '../../domain/audit.js';
import { backupDatabase, checkBackupTarget } from '../../storage/backup.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db backup <file>`: a consistent copy taken while others write,
 * checked (SQLite's quick check) before it takes its name. A copy of every
 * citizen's data: recorded in the audit log first.
 */
export async function run(context: CliContext, { args }: CommandInput): Promise<number> {
  const target = argument(args, 0, 'file');
  const store = await context.auditedRead();
  checkBackupTarget(store, target);
  const citizens = await store.db.selectFrom('citizens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await recordPersonalDataRead(store.db, context.actor(), 'db backup', Number(citizens.n));
  await backupDatabase(store, target);
  context.output.success(context.t('backup.written', { path: target }));
  return 0;
}
