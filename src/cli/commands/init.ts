import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';
import { flag, parseOptions } from '../command-options.js';

/** `urp init [--demo]`: create (and migrate) the database; optionally load the demo. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { demo } = parseOptions({ demo: flag }, options);
  const store = await context.store();
  if (demo) {
    const { loadDemoData } = await import('../../domain/demo-data.js');
    const counts = await loadDemoData(store.db, context.actor('demo'));
    context.output.success(context.t('init.demoLoaded', counts));
  }
  context.output.success(context.t('init.done', { path: store.path }));
}
