import { checkDatabase } from '../../domain/integrity.js';
import { backupDatabase } from '../../storage/backup.js';
import { openStore } from '../../storage/database.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';

/** `urp db backup <file>`: a consistent copy taken while others write, then checked. */
export async function run(context: CliContext, { args }: CommandInput): Promise<number> {
  const target = argument(args, 0, 'file');
  const store = await context.store();
  await backupDatabase(store, target);
  const copy = await openStore(target, { migrate: false });
  try {
    const problems = await checkDatabase(copy.db, await context.settings(), context.clock());
    if (problems.length > 0) {
      for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
      context.output.error(context.t('check.problems', { count: problems.length }));
      return 1;
    }
  } finally {
    // Opening the copy put it back in WAL mode: leave it a single, standalone file.
    copy.sqlite.pragma('journal_mode = DELETE');
    await copy.close();
  }
  context.output.success(context.t('backup.written', { path: target }));
  return 0;
}
