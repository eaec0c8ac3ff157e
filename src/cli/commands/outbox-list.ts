import { listOutbox, outboxStatus, type OutboxMessage } from '../../domain/mail/outbox.js';
import { count, flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import { type Column, listFormat } from '../output.js';
import type { CommandInput } from '../command-types.js';
import { formatInstant } from '../render/dates.js';

/** `urp outbox list [--status S] [--report N] [--limit N] [--json|--csv]`: what was sent, to whom, when. */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ status: text, report: text, limit: count, json: flag, csv: flag }, options);
  const { db } = await context.store();
  const settings = await context.settings();
  const messages = await listOutbox(db, context.actor(), {
    status: input.status === undefined ? undefined : outboxStatus(input.status),
    report: input.report,
    limit: input.limit,
  });
  const when = (iso: string | null) => formatInstant(iso, settings.timeZone, context.language, context.output.rich);
  const columns: Column<OutboxMessage>[] = [
    { header: 'id', value: (message) => String(message.id), right: true },
    { header: context.t('column.status'), value: (message) => message.status },
    { header: context.t('column.message'), value: (message) => message.kind },
    { header: context.t('column.report'), value: (message) => message.report ?? '' },
    { header: context.t('column.to'), value: (message) => `${message.recipient}${message.area ? ` ${message.area}` : ''}` },
    { header: context.t('column.channel'), value: (message) => message.channel },
    { header: context.t('column.address'), value: (message) => message.toAddress ?? context.t('outbox.noAddress') },
    { header: context.t('column.created'), value: (message) => when(message.createdAt) },
    { header: context.t('column.sentOrNext'), value: (message) => when(message.sentAt ?? message.nextAttemptAt) },
    { header: context.t('column.attempts'), value: (message) => String(message.attempts), right: true },
    { header: context.t('column.error'), value: (message) => message.lastError ?? '', shrink: true },
  ];
  await context.output.emit(listFormat(input), { rows: messages, table: columns, empty: context.t('outbox.none') });
}
