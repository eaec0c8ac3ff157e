import { checkDatabase } from '../../domain/integrity.js';
import { isServerLocation } from '../../storage/database.js';
import { integrityOfFile } from '../../storage/engine-checks.js';
import { storageFault } from '../../storage/storage-error.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db check`: exit 0 when sound, 1 with a readable list of problems
 * otherwise: SQLite's own checks, the guards and the event chain, the
 * register's rules. A file too damaged to open as a register still gets
 * SQLite's list of what is wrong.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const { json } = parseOptions({ json: flag }, options);
  let problems: Array<{ check: string; detail: string }>;
  let reports = 0;
  try {
    const { db } = await context.store();
    problems = await checkDatabase(db, await context.settings(), context.clock(), context.databasePath);
    if (problems.length === 0) {
      reports = Number((await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    }
  } catch (error) {
    // A file too damaged to open is read page by page; a server's damage is the server's to list.
    if (storageFault(error) !== 'damaged' || isServerLocation(context.databasePath)) throw error;
    problems = (integrityOfFile(context.databasePath) ?? []).map((detail) => ({ check: 'integrity', detail }));
    if (problems.length === 0) throw error;
  }
  if (json) context.output.json({ sound: problems.length === 0, problems });
  else if (problems.length === 0) context.output.success(context.t('check.sound', { count: reports }));
  else {
    for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
    context.output.error(context.t('check.problems', { count: problems.length }));
  }
  return problems.length === 0 ? 0 : 1;
}
