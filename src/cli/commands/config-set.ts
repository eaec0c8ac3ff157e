import { changeSetting, formatSettingValue, settingKey } from '../../domain/settings.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp config set <key> <value>`: validated before it is stored. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const key = settingKey(argument(args, 0, 'key'));
  const text = argument(args, 1, 'value');
  const { db } = await context.store();
  const value = await writeTransaction(db, (trx) => changeSetting(trx, context.actor(), key, text));
  const shown = formatSettingValue(value as never) || context.t('config.none');
  context.output.success(context.t('config.set', { key, value: shown }));
}
