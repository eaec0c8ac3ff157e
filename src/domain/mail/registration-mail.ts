import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Actor } from '../actor.js';
import { InputError } from '../errors.js';
import { appendEvent } from '../report-events.js';
import type { Settings } from '../settings.js';
import { queueRegistrationMessages } from './outbox.js';

/** The e-mail message a report is registered from, already kept in the message folder. */
export interface InboundMessage {
  readonly sha256: string;
  readonly size: number;
  /** The Message-ID header, if it had one. */
  readonly messageId: string | null;
  readonly fileName: string;
}

/**
 * registerReport's one call into the mail feature, inside its transaction:
 * the message the report came from (hash and size on the timeline; the same
 * message twice is refused), then the receipt and the assignment it causes.
 */
export async function recordRegistrationMail(
  db: Kysely<Database>,
  actor: Actor,
  settings: Settings,
  { reportId, inbound }: { reportId: number; inbound?: InboundMessage | undefined },
): Promise<void> {
  if (inbound) {
    const earlier = await db
      .selectFrom('inbound_messages as m')
      .innerJoin('reports as r', 'r.id', 'm.report_id')
      .select('r.number')
      .where((eb) => eb.or([eb('m.sha256', '=', inbound.sha256), ...(inbound.messageId ? [eb('m.message_id', '=', inbound.messageId)] : [])]))
      .executeTakeFirst();
    if (earlier) throw new InputError('eml.alreadyRegistered', { number: earlier.number }, 'fromEml');
    await db
      .insertInto('inbound_messages')
      .values({ report_id: reportId, sha256: inbound.sha256, size: inbound.size, message_id: inbound.messageId, file_name: inbound.fileName, received_at: actor.now.toISOString() })
      .execute();
    await appendEvent(db, actor, { reportId, kind: 'message_received', text: `sha256 ${inbound.sha256}, ${inbound.size} bytes` });
  }
  await queueRegistrationMessages(db, actor, settings, reportId);
}
