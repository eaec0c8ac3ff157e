import { connect } from '../../storage/database.js';
import { sqliteSchemaVersion } from '../../storage/store.js';
import { LATEST_SCHEMA_VERSION } from '../../storage/schema-version.js';
import type { CliContext } from '../context.js';

/**
 * `urp db migrate` (admin): apply pending migrations. Every command applies
 * them when it opens the register (who is acting can only be read from the
 * latest schema); this one opens it through the context like the others,
 * so that it is refused to anyone but an admin, and says what it did.
 */
export async function run(context: CliContext): Promise<void> {
  const before = versionOf(context.databasePath);
  await context.store();
  const applied = before === undefined ? 0 : LATEST_SCHEMA_VERSION - before;
  context.output.success(applied > 0 ? context.t('database.migrated', { count: applied }) : context.t('database.upToDate'));
}

/** The schema version of the file before it is opened (undefined when it cannot be read: the context then says why). */
function versionOf(path: string): number | undefined {
  try {
    const probe = connect(path, { readonly: true, fileMustExist: true });
    try {
      return sqliteSchemaVersion(probe);
    } finally {
      probe.close();
    }
  } catch {
    return undefined;
  }
}
