import type { DeliveredMessage } from '../../domain/mail/delivery.js';
import { InputError } from '../../domain/errors.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';
import { formatInstant } from '../render/dates.js';
import { describeInputError } from '../error-messages.js';

/**
 * `urp mail send [--watch] [--json]`: delivers the outbox. Exit 0 when
 * everything due went out, 3 when messages are still pending (a temporary
 * failure, retried later) or failed in this run, 2 when the setup is wrong
 * (a missing setting, credentials or TLS refused): for cron to alert.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const input = parseOptions({ watch: flag, interval: text, json: flag }, options);
  let interval = 60;
  if (input.interval !== undefined) {
    if (!/^\d{1,5}$/.test(input.interval.trim()) || Number(input.interval) < 1 || Number(input.interval) > 86_400) {
      throw new InputError('field.integerExpected', { min: 1, max: 86_400 }, 'interval');
    }
    interval = Number(input.interval);
  }
  const { db } = await context.store();
  const settings = await context.settings();
  // Loaded here only: nodemailer stays out of every other command's start-up.
  const { deliverPending } = await import('../../domain/mail/delivery.js');

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  if (input.watch) {
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    context.output.info(context.t('mail.watching', { seconds: interval }));
  }

  const messages: DeliveredMessage[] = [];
  const problems = new Map<string, InputError>();
  try {
    do {
      const result = await deliverPending(db, context.actor(), settings, { env: context.env, clock: context.clock, stopping: () => stopping });
      for (const message of result.messages) {
        messages.push(message);
        report(context, message, settings.timeZone);
      }
      for (const error of result.configurationErrors) {
        const line = describeInputError(error, context.language);
        if (!problems.has(line)) context.output.error(`urp: ${context.t('error.prefix')}: ${line}`);
        problems.set(line, error);
      }
      if (input.watch && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval * 1000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } while (input.watch && !stopping);
  } finally {
    process.removeListener('SIGTERM', stop);
    process.removeListener('SIGINT', stop);
  }

  // Each message once, in its last state (a watched run may see one several times).
  const last = new Map(messages.map((message) => [message.id, message]));
  const final = [...last.values()];
  // Still to go: pending ones, and claims whose sender is gone (not the ones another sender is busy with).
  const now = context.clock().toISOString();
  const waiting = await db
    .selectFrom('outbox')
    .select('id')
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]))
    .execute();
  const count = (outcome: DeliveredMessage['outcome']) => final.filter((message) => message.outcome === outcome).length;
  if (input.json) {
    context.output.json({
      sent: final.filter((message) => message.outcome === 'sent'),
      pending: final.filter((message) => message.outcome === 'pending'),
      failed: final.filter((message) => message.outcome === 'failed'),
      stillWaiting: waiting.length,
      configurationErrors: [...problems.values()].map((error) => ({ key: error.key, message: describeInputError(error, context.language) })),
    });
  }
  context.output.info(context.t('mail.sendSummary', { sent: count('sent'), pending: waiting.length, failed: count('failed') }));
  if (problems.size > 0) return 2;
  return waiting.length > 0 || count('failed') > 0 ? 3 : 0;
}

function report(context: CliContext, message: DeliveredMessage, timeZone: string): void {
  const params = { id: message.id, kind: message.kind, report: message.report ?? '—', error: message.error ?? '' };
  if (message.outcome === 'failed') context.output.warn(context.t('mail.messageFailed', params));
  else if (message.outcome === 'pending' && message.nextAttemptAt) {
    context.output.warn(context.t('mail.messagePending', { ...params, at: formatInstant(message.nextAttemptAt, timeZone, context.language, false) }));
  }
}
