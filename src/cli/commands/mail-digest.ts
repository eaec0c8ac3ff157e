import { InputError } from '../../domain/errors.js';
import { queueDigests } from '../../domain/mail/digest.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { asOfOption } from '../as-of.js';
import type { CommandInput } from '../command-types.js';

/** `urp mail digest [--as-of]`: queues today's digests (once a day); `urp mail send` delivers them. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ asOf: text, json: flag }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  if (!settings.mailSmtp) throw new InputError('mail.notSetUp');
  if (!settings.mailDigest) {
    if (input.json) context.output.json({ queued: 0, alreadyQueued: 0, nothingToSay: 0, withoutAddress: [], switchedOff: true });
    context.output.info(context.t('mail.digestOff'));
    return;
  }
  const asOf = asOfOption(context, input.asOf, settings.timeZone);
  const result = await queueDigests(db, context.actor(), settings, asOf);
  if (input.json) context.output.json({ ...result, switchedOff: false });
  if (result.withoutAddress.length > 0) context.output.warn(context.t('mail.digestWithoutAddress', { areas: result.withoutAddress.join(', ') }));
  context.output.success(context.t('mail.digestQueued', { queued: result.queued, already: result.alreadyQueued, nothing: result.nothingToSay }));
}
