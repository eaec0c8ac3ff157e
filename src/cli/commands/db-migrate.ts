import { openStore } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';
import type { CliContext } from '../context.js';

/** `urp db migrate`: apply pending migrations (normally done on first use anyway). */
export async function run(context: CliContext): Promise<void> {
  const store = await openStore(context.databasePath, { migrate: false });
  try {
    const applied = await migrateToLatest(store);
    context.output.success(applied.length ? context.t('database.migrated', { count: applied.length }) : context.t('database.upToDate'));
  } finally {
    await store.close();
  }
}
