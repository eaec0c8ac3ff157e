import { rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { recordAudit } from '../../domain/audit.js';
import { InputError } from '../../domain/errors.js';
import { checkDatabase } from '../../domain/integrity.js';
import { isOpenAccess, resolveIdentity } from '../../domain/operators.js';
import { loadSettings } from '../../domain/settings.js';
import { backupDatabase, openBackup, restoreDatabase } from '../../storage/backup.js';
import { chainSummary } from '../../storage/chain-head.js';
import { argument, flag, parseOptions } from '../command-options.js';
import { confirmDestructive } from '../confirm.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db restore <file> --yes` (admin): checks the backup as `db check`
 * does (integrity, the event chain, the guards, the register's rules),
 * refuses one that would lock the restorer out or open the register to
 * everyone, saves the current contents beside the database, then replaces
 * them in one transaction, and records on the restored register's audit
 * chain what it replaced (the heads of the chains that were there).
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const { yes } = parseOptions({ yes: flag }, options);
  const source = argument(args, 0, 'file');
  const live = await context.store();
  const backup = await openBackup(live, source);
  try {
    const problems = await checkDatabase(backup.db, await loadSettings(backup.db), context.clock(), backup.path);
    if (problems.length > 0) {
      for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
      throw new InputError('backup.unsound', { count: problems.length }, 'file');
    }
    // Whoever restores must still be an admin afterwards, and a guarded register must stay guarded.
    if (!((await isOpenAccess(live.db)) && (await isOpenAccess(backup.db)))) {
      const after = await resolveIdentity(backup.db, context.account, undefined);
      if (after.kind !== 'operator' || after.role !== 'admin') throw new InputError('backup.noAdmin', { account: context.account }, 'file');
    }
  } finally {
    await backup.close();
  }
  await confirmDestructive(context, yes, 'confirm.restore', { path: source });
  const stamp = context.clock().toISOString().replace(/[:.]/g, '-');
  // A register on a server is saved beside the backup it is replaced by (it has no file of its own).
  const saved = live.engine === 'sqlite' ? `${live.path}.before-restore-${stamp}` : join(dirname(resolve(source)), `${live.databaseName}.before-restore-${stamp}.db`);
  await backupDatabase(live, saved);
  // What the restore replaced, on the restored register's own record: the events written after the backup are gone
  // from it, and an auditor must be able to tell (the heads match the copy saved beside it).
  const replaced = { report_events: await chainSummary(live.db, 'report_events'), audit_events: await chainSummary(live.db, 'audit_events') };
  try {
    await restoreDatabase(live, source);
  } catch (error) {
    // Nothing was replaced (one transaction): the saved copy is the register as it still is, and would only
    // take the room a full disk lacks.
    rmSync(saved, { force: true });
    throw error;
  }
  await recordAudit(live.db, context.actor(), 'register_restored', `backup:${basename(source)}`, JSON.stringify({ saved: basename(saved), replaced }));
  context.output.success(context.t('backup.restored', { path: source, saved }));
}
