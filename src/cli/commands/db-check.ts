import { checkDatabase } from '../../domain/integrity.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';

/** `urp db check`: exit 0 when sound, 1 with a readable list of problems otherwise. */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const { json } = parseOptions({ json: flag }, options);
  const { db } = await context.store();
  const problems = await checkDatabase(db, await context.settings(), context.clock());
  if (json) context.output.json({ sound: problems.length === 0, problems });
  else if (problems.length === 0) {
    const count = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    context.output.success(context.t('check.sound', { count: Number(count.n) }));
  } else {
    for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
    context.output.error(context.t('check.problems', { count: problems.length }));
  }
  return problems.length === 0 ? 0 : 1;
}
