import { ownBackups } from '../../storage/own-backups.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp privacy backups` (admin): the copies urp wrote beside the database, which keep erased data until removed. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const store = await context.store();
  const backups = ownBackups(store.path);
  if (json) return context.output.json(backups);
  if (backups.length === 0) return context.output.info(context.t('privacy.noBackups'));
  await context.output.table(
    [
      { header: context.t('backups.file'), value: (backup) => backup.path },
      { header: context.t('backups.written'), value: (backup) => backup.writtenAt },
      { header: context.t('backups.size'), value: (backup) => `${Math.ceil(backup.sizeBytes / 1024)} KiB`, right: true },
    ],
    backups,
  );
}
