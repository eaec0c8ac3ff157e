import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError, echo } from '../../domain/errors.js';
import { isServerLocation } from '../../storage/database.js';
import { groupId } from '../../storage/os-groups.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp init [--demo] [--group G]`: create (and migrate) the database, the
 * only command that does; optionally load the demo. With --group, several
 * operating-system accounts of that group share the register on this
 * machine: files 0660 and the folder 2770, the group's.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { demo, group } = parseOptions({ demo: flag, group: text }, options);
  // A server's register is shared through its logins (urp db grant), not a group's file modes.
  if (group !== undefined && isServerLocation(context.databasePath)) throw new InputError('init.groupServer', {}, 'group');
  const gid = group === undefined ? undefined : groupId(group);
  if (group !== undefined && gid === undefined) throw new InputError('init.groupUnknown', { group: echo(group) }, 'group');
  const store = await context.store({ shareWithGroup: gid });
  if (gid !== undefined) {
    // A folder urp did not create is left as it is; it must let the group in.
    const folder = statSync(dirname(store.path));
    if (folder.gid !== gid || (folder.mode & 0o070) !== 0o070) context.output.warn(context.t('init.groupFolder', { folder: dirname(store.path), group: group! }));
  }
  if (demo) {
    const { loadDemoData } = await import('../../domain/demo-data.js');
    const counts = await loadDemoData(store.db, context.actor('demo'));
    context.output.success(context.t('init.demoLoaded', counts));
  }
  context.output.success(context.t('init.done', { path: store.path }));
}
