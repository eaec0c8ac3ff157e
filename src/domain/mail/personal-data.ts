import type { Kysely } from 'kysely';
import { keptMessages } from '../../storage/message-files.js';
import type { Database } from '../../storage/schema.js';

/**
 * The outbox and the kept e-mail messages under GDPR (issue 14): a citizen's
 * export includes the messages sent to them (and the ones their reports came
 * from); an erasure removes their addresses and the texts of every message
 * about them, cancels what was still waiting, and deletes the message files.
 */
export async function citizenMessages(db: Kysely<Database>, citizenId: number) {
  const sent = await db
    .selectFrom('outbox as o')
    .leftJoin('reports as r', 'r.id', 'o.report_id')
    .select([
      'o.id', 'o.kind', 'r.number as report', 'o.channel', 'o.to_address as toAddress', 'o.to_name as toName', 'o.subject', 'o.body',
      'o.message_id as messageId', 'o.status', 'o.created_at as createdAt', 'o.sent_at as sentAt',
    ])
    .where('o.citizen_id', '=', citizenId)
    .where('o.recipient', '=', 'citizen')
    .orderBy('o.id')
    .execute();
  const received = await db
    .selectFrom('inbound_messages as m')
    .innerJoin('reports as r', 'r.id', 'm.report_id')
    .select(['r.number as report', 'm.sha256', 'm.size', 'm.message_id as messageId', 'm.file_name as fileName', 'm.received_at as registeredAt'])
    .where('r.citizen_id', '=', citizenId)
    .orderBy('m.id')
    .execute();
  return { sent, received };
}

/** In the erasure's transaction: blanks the outbox rows about the citizen and removes their message files. */
export async function eraseCitizenMessages(db: Kysely<Database>, citizenId: number, now: Date): Promise<void> {
  const at = now.toISOString();
  // Not yet sent: it will not be (the address is going).
  await db
    .updateTable('outbox')
    .set({ status: 'cancelled', lease_owner: null, lease_until: null, updated_at: at })
    .where('citizen_id', '=', citizenId)
    .where('recipient', '=', 'citizen')
    .where('status', 'in', ['pending', 'sending', 'failed', 'no_address'])
    .execute();
  await db
    .updateTable('outbox')
    .set({ to_address: null, to_name: null, subject: '', body: '', last_error: null, erased_at: at, updated_at: at })
    .where('citizen_id', '=', citizenId)
    .where('recipient', '=', 'citizen')
    .execute();
  // What the area read about them: the address is the area's, the text was about the citizen.
  await db
    .updateTable('outbox')
    .set({ subject: '', body: '', erased_at: at, updated_at: at })
    .where('citizen_id', '=', citizenId)
    .where('recipient', '!=', 'citizen')
    .execute();

  const files = await db
    .selectFrom('inbound_messages as m')
    .innerJoin('reports as r', 'r.id', 'm.report_id')
    .select(['m.id', 'm.file_name'])
    .where('r.citizen_id', '=', citizenId)
    .execute();
  if (files.length === 0) return;
  const kept = await keptMessages(db);
  for (const file of files) {
    if (kept && file.file_name) await kept.remove(file.file_name);
    await db.updateTable('inbound_messages').set({ file_name: null, message_id: null, erased_at: at }).where('id', '=', file.id).execute();
  }
}
