import { statSync } from 'node:fs';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';
import { databaseStatus } from '../../storage/database-status.js';

/** `urp db status`: where the database is, its schema, what it holds. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const store = await context.store();
  const status = await databaseStatus(store);
  const size = store.path === ':memory:' ? 0 : statSync(store.path).size;
  const result = { path: store.path, sizeBytes: size, ...status };
  if (json) return context.output.json(result);
  const it = context.language === 'it';
  const pending = status.migrations.filter((migration) => !migration.appliedAt);
  context.output.fields([
    [it ? 'Database' : 'Database', store.path],
    [it ? 'Dimensione' : 'Size', `${(size / 1024).toFixed(0)} KiB`],
    [it ? 'Schema' : 'Schema', `v${status.schemaVersion} (${status.migrations.length - pending.length}/${status.migrations.length} ${it ? 'migrazioni applicate' : 'migrations applied'})`],
    [it ? 'Giornale' : 'Journal', status.journalMode],
    [it ? 'Aree' : 'Areas', String(status.counts.areas)],
    [it ? 'Categorie' : 'Categories', String(status.counts.categories)],
    [it ? 'Cittadini' : 'Citizens', String(status.counts.citizens)],
    [it ? 'Segnalazioni' : 'Reports', `${status.counts.reports} (${status.counts.openReports} ${it ? 'aperte' : 'open'})`],
    [it ? 'Eventi' : 'Events', String(status.counts.events)],
    [
      it ? 'Operatori' : 'Operators',
      status.counts.operators === 0
        ? it ? 'nessuno: accesso libero (ufficio con un solo operatore)' : 'none: open access (one-clerk office)'
        : `${status.counts.operators} ${it ? 'attivi: ruoli verificati' : 'active: roles enforced'}`,
    ],
  ]);
}
