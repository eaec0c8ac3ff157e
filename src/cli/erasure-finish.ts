import { finishPurge } from '../storage/purge.js';
import { ownBackups } from '../storage/own-backups.js';
import type { CliContext } from './context.js';

/**
 * After an erasure committed: the file rebuilt when texts were redacted, the
 * log truncated (or left for the next command, said so), and the copies urp
 * wrote earlier named, since they still hold what was erased.
 */
export async function finishErasure(context: CliContext, deep: boolean): Promise<void> {
  const store = await context.store();
  const left = await finishPurge(store, { deep });
  if (left === 'owner') context.output.warn(context.t('privacy.vacuumPending'));
  else if (left === 'readers') context.output.warn(context.t(store.engine === 'postgres' ? 'privacy.vacuumWaitsForReaders' : 'privacy.purgePending'));
  const backups = store.engine === 'sqlite' ? ownBackups(store.path) : [];
  if (backups.length > 0) context.output.warn(context.t('privacy.backupsHoldData', { count: backups.length }));
}
