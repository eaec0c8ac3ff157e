import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../domain/errors.js';
import { checkDatabase } from '../../domain/integrity.js';
import { loadSettings } from '../../domain/settings.js';
import { backupDatabase, restoreDatabase } from '../../storage/backup.js';
import { openStore, schemaVersion } from '../../storage/database.js';
import { argument, flag, parseOptions } from '../command-options.js';
import { confirmDestructive } from '../confirm.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';

/**
 * `urp db restore <file> --yes`: checks the backup, saves the current
 * contents beside the database, then replaces them in one transaction.
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const { yes } = parseOptions({ yes: flag }, options);
  const source = argument(args, 0, 'file');
  // Checked before anything opens it: opening a missing file would create it.
  if (!existsSync(source)) throw new InputError('import.cannotRead', { path: source }, 'file');
  const live = await context.store();
  if (resolve(source) === resolve(live.path)) throw new InputError('backup.samePath', {}, 'file');
  const backup = await openStore(source, { migrate: false }).catch(() => {
    throw new InputError('backup.notADatabase', { path: source }, 'file');
  });
  try {
    // An SQLite file that urp never migrated (no tables of ours) is not a backup.
    const version = schemaVersion(backup.sqlite);
    if (version === 0) throw new InputError('backup.notADatabase', { path: source }, 'file');
    if (version !== schemaVersion(live.sqlite)) {
      throw new InputError('backup.schemaDiffers', { found: version, expected: schemaVersion(live.sqlite) }, 'file');
    }
    const problems = await checkDatabase(backup.db, await loadSettings(backup.db), context.clock());
    if (problems.length > 0) {
      for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
      throw new InputError('backup.unsound', { count: problems.length }, 'file');
    }
  } finally {
    await backup.close();
  }
  await confirmDestructive(context, yes, 'confirm.restore', { path: source });
  const store = await context.store();
  const saved = `${store.path}.before-restore-${context.clock().toISOString().replace(/[:.]/g, '-')}`;
  await backupDatabase(store, saved);
  restoreDatabase(store, source);
  context.output.success(context.t('backup.restored', { path: source, saved }));
}
