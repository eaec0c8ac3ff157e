import { recordAudit } from '../../domain/audit.js';
import { formatSettingValue, setSetting, settingKey } from '../../domain/settings.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../program.js';

/** `urp config set <key> <value>`: validated before it is stored. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const key = settingKey(argument(args, 0, 'key'));
  const text = argument(args, 1, 'value');
  const { db } = await context.store();
  const actor = context.actor();
  const value = await writeTransaction(db, async (trx) => {
    const stored = await setSetting(trx, key, text, actor.now);
    await recordAudit(trx, actor, 'setting_changed', `setting:${key}`, JSON.stringify(stored));
    return stored;
  });
  context.output.success(context.t('config.set', { key, value: formatSettingValue(value as never) }));
}
