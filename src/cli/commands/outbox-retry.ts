import { retryMessage } from '../../domain/mail/outbox.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/** `urp outbox retry <id>`: due again now, its address looked up again. */
export async function run(context: CliContext, { args }: CommandInput): Promise<void> {
  const id = argument(args, 0, 'id');
  const { db } = await context.store();
  const settings = await context.settings();
  const message = await writeTransaction(db, (trx) => retryMessage(trx, context.actor(), settings, id));
  context.output.success(context.t('outbox.retried', { id: message.id }));
}
