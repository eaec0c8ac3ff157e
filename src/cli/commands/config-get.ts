import { formatSettingValue, settingKey, settingValue } from '../../domain/settings.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp config get <key>`: the value alone, for scripts. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const key = settingKey(argument(args, 0, 'key'));
  context.output.write(formatSettingValue(settingValue(await context.settings(), key)));
}
