import { SETTING_KEYS, type SettingKey, formatSettingValue, settingValue } from '../../domain/settings.js';
import { flag, parseOptions } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp config list`: every setting with its current value. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const { json } = parseOptions({ json: flag }, options);
  const settings = await context.settings();
  if (json) return context.output.json(settings);
  const keys = Object.keys(SETTING_KEYS) as SettingKey[];
  await context.output.table(
    [
      { header: context.t('column.key'), value: (key: SettingKey) => key },
      { header: context.t('column.value'), value: (key: SettingKey) => formatSettingValue(settingValue(settings, key)) },
    ],
    keys,
  );
}
