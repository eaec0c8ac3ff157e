import { CancelledError, InputError } from '../domain/errors.js';
import type { MessageKey, MessageParams } from '../i18n/messages.js';
import type { CliContext } from './context.js';

/**
 * Destructive commands (SPEC section 5): on a terminal they ask; otherwise
 * they need --yes. "No" cancels (exit 130) with nothing written.
 */
export async function confirmDestructive(context: CliContext, yes: boolean | undefined, key: MessageKey, params: MessageParams): Promise<void> {
  if (yes) return;
  if (!context.interactive) throw new InputError('confirm.needYes', {}, 'yes');
  const { ask, prompts } = await import('./prompts/prompting.js');
  if (!(await ask(prompts(context).confirm({ message: context.t(key, params), default: false })))) throw new CancelledError();
}
