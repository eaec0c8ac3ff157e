import { statSync } from 'node:fs';
import { registerStatus } from '../../domain/register-status.js';
import { roles } from '../../domain/vocabulary.js';
import { storageStatus } from '../../storage/database-status.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db status` (anyone, operator or not): where the register is, its
 * engine and schema, what it holds, who you are to it, and the heads of the
 * event and audit chains, to copy daily into the office's own records.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const store = await context.store();
  const storage = await storageStatus(store);
  const register = await registerStatus(store.db);
  const size = storage.sizeBytes ?? (store.path === ':memory:' ? 0 : statSync(store.path).size);
  const you = context.whoAmI();
  const result = { path: store.path, sizeBytes: size, ...storage, ...register, you };
  if (json) return context.output.json(result);
  const t = context.t.bind(context);
  const pending = storage.migrations.filter((migration) => !migration.appliedAt);
  const { counts, chains } = register;
  context.output.fields([
    [t('status.database'), store.path],
    [t('status.engine'), `${storage.engine}${storage.readOnly ? ` (${t('status.readOnly')})` : ''}`],
    [t('status.size'), `${(size / 1024).toFixed(0)} KiB`],
    [t('status.schema'), t('status.schemaValue', { version: storage.schemaVersion, applied: storage.migrations.length - pending.length, total: storage.migrations.length })],
    [t('status.journal'), storage.journalMode],
    [t('status.areas'), String(counts.areas)],
    [t('status.categories'), String(counts.categories)],
    [t('status.citizens'), String(counts.citizens)],
    [t('status.reports'), t('status.reportsValue', { count: counts.reports, open: counts.openReports })],
    [t('status.events'), String(counts.events)],
    [t('status.operators'), counts.operators === 0 ? t('status.operatorsNone') : t('status.operatorsSome', { count: counts.operators })],
    [t('status.you'), you.operator === null ? t('status.youUnknown', { account: you.account }) : t('status.youOperator', { account: you.account, operator: you.operator, role: you.role ? roles.label(you.role, context.language) : t('status.openRole') })],
    [t('status.eventChain'), t('status.chainValue', { count: chains.report_events.count, head: chains.report_events.head || '—' })],
    [t('status.auditChain'), t('status.chainValue', { count: chains.audit_events.count, head: chains.audit_events.head || '—' })],
  ]);
}
